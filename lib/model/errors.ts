// Errors every stage may raise about its input, and reading any thrown value as text.

/** Unreadable input: names the file, the place inside it and what was expected. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly where?: { path?: string; line?: number; column?: number },
  ) {
    const place = where?.line !== undefined ? `:${where.line}:${where.column ?? 1}` : '';
    const path = where?.path !== undefined ? ` at ${where.path}` : '';
    super(`${file}${place}${path}: ${detail}`);
    this.name = 'InputError';
  }
}

/** The message of anything thrown, without casting it to Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The name of anything thrown ("TypeError", "ThrottlingException"), or "error". */
export function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

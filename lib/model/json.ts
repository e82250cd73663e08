// The JSON-shape guard every module shares, and look-ups by names that come from input.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `record[name]` for an own property only. Names come from templates, events and definitions, so
 * "constructor", "toString" or "__proto__" must never reach Object.prototype.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Set an own property, even one named "__proto__" (plain assignment would replace the prototype instead). */
export function defineOwn<T>(record: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * String(value) for a value read from input, which never throws: a parsed object whose own "toString" is not a
 * function (`{"toString": 0}`) or that has no prototype makes String() throw a TypeError.
 */
export function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

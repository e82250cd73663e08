// Where the CLI reads and writes, so commands can be run and tested without a process.
export interface CliIO {
  out(text: string): void;
  /** One line on stderr (the newline is added). */
  err(line: string): void;
  /** Raw text on stderr, for a progress bar that rewrites its line; absent when stderr is captured. */
  errRaw?(text: string): void;
  /** What stdout and stderr are connected to; absent in-process (tests), where output is plain and no progress shows. */
  terminal?: { stdoutIsTTY: boolean; stderrIsTTY: boolean; columns?: number };
  env?: Readonly<Record<string, string | undefined>>;
  /** Standard input (`check -`), read until its end or until more than `maxBytes` have come. */
  readStdin?(maxBytes: number): Promise<string>;
}

/** What a command's action needs: where to write, and how to hand back its exit code. */
export interface CommandContext {
  io: CliIO;
  exit(code: number): void;
}

async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
  errRaw: (text) => process.stderr.write(text),
  terminal: {
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  },
  env: process.env,
  readStdin,
};

/**
 * How the run ends when stdout cannot be written. A reader that closed the pipe (`| head -1`) has what it wanted:
 * end quietly with 0, as ripgrep does. 141 (128 + SIGPIPE) is what tools killed by the signal report, but Node
 * ignores SIGPIPE and sees EPIPE instead, and 1 would read as "findings". Any other failure (ENOSPC on a full
 * disk) means the report was lost: exit 2 with one line, like other unusable input or output.
 */
export function outputFailure(error: NodeJS.ErrnoException): { code: number; line?: string } {
  if (error.code === 'EPIPE') return { code: 0 };
  // System errors already start with their code ("ENOSPC: no space left on device, write").
  const reason =
    error.code === undefined || error.message.startsWith(error.code)
      ? error.message
      : `${error.code}: ${error.message}`;
  return { code: 2, line: `dmap-guard: cannot write the output (${reason})` };
}

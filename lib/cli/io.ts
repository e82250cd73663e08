// Where the CLI writes, so commands can be run and tested without a process.
export interface CliIO {
  out(text: string): void;
  err(line: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
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

// Where the CLI writes, so commands can be run and tested without a process.
export interface CliIO {
  out(text: string): void;
  err(line: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
};

import { outputFailure } from './io';
import { main } from './main';

// Write errors on stdout arrive as 'error' events (a pipe closed, a disk full), not as exceptions in a command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  const { code, line } = outputFailure(error);
  if (line !== undefined) process.stderr.write(`${line}\n`);
  process.exit(code);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `dmap-guard: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 3;
  },
);

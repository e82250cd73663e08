// Progress of a long run on stderr: a bar that rewrites its line on a terminal, a plain line per step otherwise
// (CI logs). A few lines instead of a dependency: the bar needs no more than this.
import type { CliIO } from './io';

export interface Progress {
  step(label: string): void;
  done(): void;
}

const SILENT: Progress = { step: () => undefined, done: () => undefined };
const BAR = 24;

export function progress(io: CliIO, title: string, total: number, quiet = false): Progress {
  // In-process (tests) there is no terminal to report to.
  if (quiet || !io.terminal || total === 0) return SILENT;
  let count = 0;
  if (!io.terminal.stderrIsTTY || !io.errRaw) {
    return {
      step: (label) => io.err(`dmap-guard: ${title} ${++count}/${total} ${label}`),
      done: () => undefined,
    };
  }
  const write = io.errRaw;
  const width = io.terminal.columns ?? 80;
  return {
    step: (label) => {
      count++;
      const filled = Math.round((count / total) * BAR);
      const line = `${title} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${count}/${total} ${label}`;
      write(`\r\u001b[2K${line.slice(0, width - 1)}`);
    },
    done: () => write('\r\u001b[2K'),
  };
}

// Runs the CLI in-process and captures what it prints; or spawns the built bundle (dist/cli.js) for what needs a
// real process: pipes, standard input, a terminal, the environment the AWS SDK reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import type { CliIO } from '../../lib/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  stdin?: string;
  terminal?: CliIO['terminal'];
  env?: Record<string, string | undefined>;
}

export async function runCli(argv: string[], options: InProcessOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => (stdout += t), err: (l) => (stderr += `${l}\n`) };
  if (options.stdin !== undefined) {
    const text = options.stdin;
    io.readStdin = async () => text;
  }
  if (options.terminal) {
    io.terminal = options.terminal;
    io.errRaw = (t) => (stderr += t);
  }
  if (options.env) io.env = options.env;
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const ROOT = join(__dirname, '..', '..');

/** A fresh folder for one test file's bundle (no race on dist/), inside the repository so node_modules resolves. */
export function bundleFolder(): string {
  const cache = join(ROOT, 'node_modules', '.cache', 'dmap-guard-tests');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, 'bundle-'));
}

/**
 * The CLI as `npm run build` makes it (launcher, bundles, code cache), into `folder` (a fresh one by default) rather
 * than dist/, so that test files building at once do not race; returns its launcher.
 */
export function buildCli(folder = bundleFolder()): string {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--outdir', folder], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`scripts/build.mjs --cli-only failed: ${build.stderr}`);
  return join(folder, 'cli.js');
}

export function spawnCli(
  bundle: string,
  argv: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): CliRun {
  const result = spawnSync(process.execPath, [bundle, ...argv], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: options.env ?? { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

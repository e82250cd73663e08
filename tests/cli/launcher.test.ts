// dist/cli.js, the launcher: it runs the CLI bundle through the V8 code cache the build leaves beside it
// (https://nodejs.org/api/vm.html#scriptcreatecacheddata), falls back to compiling when the cache is missing or
// stale, and leaves the AWS SDK bundle unread unless a command calls AWS.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleFolder, buildCli, spawnCli } from '../helpers/cli';

const TEMPLATE = 'examples/image-pipeline/template.yaml';
const ENV = { PATH: process.env.PATH ?? '' };
let launcher = '';

beforeAll(() => {
  launcher = buildCli();
}, 120_000);

/** A copy of the build without some of its files (a stale cache written over one), to see how the launcher copes. */
function copyOfBuild(keep: (file: string) => boolean, cache?: Buffer): string {
  const folder = bundleFolder();
  mkdirSync(join(folder, 'cli'));
  copyFileSync(launcher, join(folder, 'cli.js'));
  const files = readdirSync(join(dirname(launcher), 'cli'));
  for (const file of files.filter(keep)) copyFileSync(join(dirname(launcher), 'cli', file), join(folder, 'cli', file));
  const bundle = files.find((file) => /^main-\w+\.cjs$/.test(file));
  if (cache && bundle) writeFileSync(join(folder, 'cli', `${bundle}.cache`), cache);
  return join(folder, 'cli.js');
}

describe('the launcher (dist/cli.js)', () => {
  const reference = () => spawnCli(launcher, ['check', TEMPLATE, '--format', 'json'], { env: ENV });

  it('uses the code cache the build made (NODE_DEBUG=dmap-guard says so)', () => {
    const run = spawnCli(launcher, ['check', TEMPLATE], { env: { ...ENV, NODE_DEBUG: 'dmap-guard' } });
    expect(run.stderr).toMatch(/DMAP-GUARD \d+: code cache accepted/);
    expect(run.code).toBe(1);
  });

  it('leaves the cache alone with NODE_DISABLE_COMPILE_CACHE=1, with the same answer', () => {
    const run = spawnCli(launcher, ['check', TEMPLATE, '--format', 'json'], {
      env: { ...ENV, NODE_DEBUG: 'dmap-guard', NODE_DISABLE_COMPILE_CACHE: '1' },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(reference().stdout);
  });

  it.each<[string, Buffer | undefined, RegExp]>([
    ['missing', undefined, /no code cache at /],
    ['of another build (V8 rejects it)', Buffer.from('not a code cache'), /code cache rejected/],
  ])('compiles the bundle when the cache is %s, with the same answer', (_name, cache, said) => {
    const copy = copyOfBuild((file) => !file.endsWith('.cache'), cache);
    try {
      const run = spawnCli(copy, ['check', TEMPLATE, '--format', 'json'], {
        env: { ...ENV, NODE_DEBUG: 'dmap-guard' },
      });
      expect(run.stderr).toMatch(said);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(reference().stdout);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });

  it('runs check without the AWS SDK bundle, and audit needs it', () => {
    const copy = copyOfBuild((file) => !file.startsWith('sdk.cjs'));
    try {
      const check = spawnCli(copy, ['check', TEMPLATE, '--format', 'json'], { env: ENV });
      expect(check.stdout).toBe(reference().stdout);
      const audit = spawnCli(copy, ['audit', '--region', 'us-east-1'], { env: ENV });
      expect(audit.stderr).toMatch(/Cannot find module '\.\/sdk\.cjs'/);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });
});

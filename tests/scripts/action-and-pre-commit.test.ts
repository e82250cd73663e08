// The GitHub Action's script and the pre-commit entry, run as CI and pre-commit run them, on examples/.
// Both take DMAP_GUARD_CLI: here a CLI bundled from the current sources, so a stale dist/ cannot mislead.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCli, bundleFolder } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..');
let work: string;
let cli: string;

beforeAll(() => {
  work = bundleFolder();
  cli = buildCli();
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DMAP_GUARD_CLI: cli, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/action-check.sh (the action.yml check step)', () => {
  const action = (env: Record<string, string>) => run('bash', ['scripts/action-check.sh'], env);
  const outputs = (file: string) =>
    new Map(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );

  it('expands the paths glob, writes SARIF and fails on the broken example', () => {
    const sarif = join(work, 'all.sarif');
    const githubOutput = join(work, 'all.out');
    const result = action({
      DMAP_GUARD_PATHS: 'examples/**/template.yaml',
      DMAP_GUARD_SARIF: sarif,
      GITHUB_OUTPUT: githubOutput,
    });
    expect(result.status).toBe(1);
    const report = JSON.parse(readFileSync(sarif, 'utf8')) as {
      version: string;
      runs: Array<{ tool: { driver: { name: string } }; results: Array<{ ruleId: string; level: string }> }>;
    };
    expect(report.version).toBe('2.1.0');
    expect(report.runs[0]?.tool.driver.name).toBe('dmap-guard');
    expect(report.runs[0]?.results.some((r) => r.level === 'error')).toBe(true);
    expect(outputs(githubOutput)).toEqual(
      new Map([
        ['exit-code', '1'],
        ['sarif-file', sarif],
      ]),
    );
  });

  it('passes on the fixed example', () => {
    const sarif = join(work, 'fixed.sarif');
    const result = action({ DMAP_GUARD_PATHS: 'examples/image-pipeline-fixed/template.yaml', DMAP_GUARD_SARIF: sarif });
    expect(result.status).toBe(0);
    expect(existsSync(sarif)).toBe(true);
  });

  it('defers the failure so the action can upload first, and honours fail-on', () => {
    const githubOutput = join(work, 'deferred.out');
    const deferred = action({
      DMAP_GUARD_PATHS: 'examples/image-pipeline/template.yaml',
      DMAP_GUARD_SARIF: join(work, 'deferred.sarif'),
      DMAP_GUARD_DEFER_FAILURE: 'true',
      GITHUB_OUTPUT: githubOutput,
    });
    expect(deferred.status).toBe(0);
    expect(outputs(githubOutput).get('exit-code')).toBe('1');
    const never = action({
      DMAP_GUARD_PATHS: 'examples/image-pipeline/template.yaml',
      DMAP_GUARD_SARIF: join(work, 'never.sarif'),
      DMAP_GUARD_FAIL_ON: 'never',
    });
    expect(never.status).toBe(0);
  });

  it('exits 2 with no SARIF when a path does not exist', () => {
    const sarif = join(work, 'missing.sarif');
    const result = action({ DMAP_GUARD_PATHS: 'examples/nope.yaml', DMAP_GUARD_SARIF: sarif });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/examples\/nope\.yaml: file not found/);
    expect(existsSync(sarif)).toBe(false);
  });
});

describe('scripts/pre-commit-check.mjs (the .pre-commit-hooks.yaml entry)', () => {
  const hook = (...args: string[]) => run(process.execPath, ['scripts/pre-commit-check.mjs', ...args]);

  it('skips YAML and JSON files that define no state machine', () => {
    const workflow = join(work, 'ci.yml');
    writeFileSync(workflow, 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n');
    const result = hook(
      workflow,
      'action.yml',
      '.pre-commit-hooks.yaml',
      'examples/image-pipeline/statemachine/pipeline.asl.json',
      'examples/policies/over-broad.json',
    );
    expect(result).toMatchObject({ status: 0, stdout: '' });
  });

  it('checks the templates among them and fails on the broken one', () => {
    const result = hook(
      'action.yml',
      'examples/image-pipeline/template.yaml',
      'examples/image-pipeline-fixed/template.yaml',
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/missing-permission/);
    expect(result.stdout).toMatch(/2 state machines/);
  });

  it('passes the hook args (before the file names) to dmap-guard check', () => {
    expect(hook('--fail-on=never', 'examples/image-pipeline/template.yaml').status).toBe(0);
    expect(hook('--fail-on', 'never', 'examples/image-pipeline/template.yaml').status).toBe(0);
    expect(hook('examples/image-pipeline-fixed/template.yaml').status).toBe(0);
  });
});

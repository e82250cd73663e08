// Output for people and for pipes: colour only on a terminal and never with NO_COLOR, prose wrapped to the
// terminal's width without breaking ARNs, plain lines when piped; the bundle on a pipe, a pty and stdin.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, runCli, spawnCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

const TEMPLATE = join(FIXTURES, 'check', 'missing-start-execution.json');
const ANSI = /\u001b\[\d+m/;
const tty = (columns?: number) => ({ stdoutIsTTY: true, stderrIsTTY: true, ...(columns ? { columns } : {}) });

describe('colour and width in-process', () => {
  it('colours severities and verdicts on a terminal', async () => {
    const { stdout } = await runCli(['check', TEMPLATE], { terminal: tty(), env: {} });
    expect(stdout).toMatch(/\u001b\[31merror {2}\u001b\[39m missing-permission/);
  });

  it.each<[string, Parameters<typeof runCli>[1]]>([
    ['piped', { terminal: { stdoutIsTTY: false, stderrIsTTY: false }, env: {} }],
    ['NO_COLOR on a terminal', { terminal: tty(), env: { NO_COLOR: '1' } }],
    ['TERM=dumb', { terminal: tty(), env: { TERM: 'dumb' } }],
    ['in-process without a terminal', {}],
  ])('prints no colour %s', async (_name, options) => {
    expect((await runCli(['check', TEMPLATE], options)).stdout).not.toMatch(ANSI);
  });

  it('colours a pipe with FORCE_COLOR, as picocolors does', async () => {
    const options = { terminal: { stdoutIsTTY: false, stderrIsTTY: false }, env: { FORCE_COLOR: '1' } };
    expect((await runCli(['check', TEMPLATE], options)).stdout).toMatch(ANSI);
  });

  it('never colours a report written with --output or a machine format', async () => {
    const { stdout } = await runCli(['check', TEMPLATE, '--format', 'json'], { terminal: tty(), env: {} });
    expect(stdout).not.toMatch(ANSI);
  });

  it('wraps prose to the terminal width at spaces, keeping ARNs and policy snippets whole', async () => {
    const plain = (await runCli(['check', TEMPLATE])).stdout;
    const wrapped = (await runCli(['check', TEMPLATE], { terminal: tty(60), env: { NO_COLOR: '1' } })).stdout;
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(wrapped)).toEqual(words(plain)); // nothing lost or broken, only line breaks moved
    for (const line of wrapped.split('\n')) {
      if (line.length > 60) expect(line.trim()).toMatch(/^(\S+|- \S+: \S+|\S+: \S+|.*arn:\S+.*)$/);
    }
    expect(wrapped.split('\n').length).toBeGreaterThan(plain.split('\n').length);
    const yaml = plain.slice(plain.indexOf('    Version: 2012-10-17'), plain.lastIndexOf('\n\n'));
    expect(wrapped).toContain(yaml); // the policy to paste is untouched
  });

  it('does not wrap when piped', async () => {
    const { stdout } = await runCli(['check', TEMPLATE], {
      terminal: { stdoutIsTTY: false, stderrIsTTY: false, columns: 40 },
    });
    expect(stdout).toBe((await runCli(['check', TEMPLATE])).stdout);
  });
});

describe('the bundle (dist/cli.js as npm run build makes it)', () => {
  let bundle = '';
  beforeAll(() => {
    bundle = buildCli();
  }, 60_000);

  it('reads a template piped to check -', () => {
    const run = spawnCli(bundle, ['check', '-', '--format', 'json'], { input: readFileSync(TEMPLATE, 'utf8') });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0].template).toBe('<stdin>');
  });

  it('prints plain text to a pipe', () => {
    const run = spawnCli(bundle, ['check', TEMPLATE]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(ANSI);
    expect(run.stderr).toBe('');
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!hasScript) console.warn('terminal tests skipped: util-linux script (a pseudo-terminal) is not installed');
  (hasScript ? it : it.skip).each<[string, Record<string, string>, boolean]>([
    ['colours on a terminal', {}, true],
    ['no colour on a terminal with NO_COLOR', { NO_COLOR: '1' }, false],
  ])('%s', (_name, env, coloured) => {
    const command = `stty cols 70; ${process.execPath} ${bundle} check ${TEMPLATE}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
    });
    expect(run.status).toBe(1);
    expect(ANSI.test(run.stdout)).toBe(coloured);
    const lines = run.stdout.replace(/\u001b\[\d+m/g, '').split(/\r?\n/);
    expect(lines.filter((l) => l.length > 70 && / \S+ \S+ /.test(l.trim()) && !/arn:/.test(l))).toEqual([]);
  });
});

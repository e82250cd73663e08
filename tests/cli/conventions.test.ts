// What users of cfn-lint and checkov expect of a command line: stdin, folders, cdk.out, --output, --quiet,
// rules, help and version, a config file found by convention, editor-friendly locations.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../../lib/checks/registry';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

const fixture = (name: string) => join(FIXTURES, 'check', `${name}.json`);
const tmp = () => mkdtempSync(join(tmpdir(), 'dmap-guard-cli-'));
const place = (dir: string, path: string, text: string) => {
  const file = join(dir, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
};
const json = (stdout: string) => JSON.parse(stdout);

describe('check inputs', () => {
  it('reads the template from standard input with -', async () => {
    const text = readFileSync(fixture('missing-start-execution'), 'utf8');
    const { code, stdout } = await runCli(['check', '-', '--format', 'json'], { stdin: text });
    expect(code).toBe(1);
    expect(json(stdout).findings[0]).toMatchObject({ template: '<stdin>', rule: 'missing-permission' });
  });

  it('expands a folder to its templates with a state machine, skipping node_modules, .git and cdk.out', async () => {
    const dir = tmp();
    const machine = readFileSync(fixture('least-privilege-passes'), 'utf8');
    place(dir, 'app/template.json', machine);
    place(dir, 'other/bucket.yaml', 'Resources:\n  B: { Type: AWS::S3::Bucket }\n');
    place(dir, 'node_modules/pkg/template.json', machine);
    place(dir, '.git/template.json', machine);
    place(dir, 'cdk.out/Stack.template.json', machine);
    const { code, stdout } = await runCli(['check', dir, '--format', 'json']);
    expect(code).toBe(0);
    expect(json(stdout).stateMachines.map((m: { template: string }) => m.template)).toEqual([
      join(dir, 'app/template.json'),
    ]);
  });

  it('names a folder without templates', async () => {
    const dir = tmp();
    place(dir, 'a.yaml', 'Resources:\n  B: { Type: AWS::S3::Bucket }\n');
    const { code, stderr } = await runCli(['check', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${dir}: no YAML or JSON template with AWS::StepFunctions::StateMachine`);
  });

  it("reads a cdk.out folder's stacks from manifest.json, nested assemblies (stages) included, named by construct path", async () => {
    const out = join(tmp(), 'cdk.out');
    mkdirSync(join(out, 'assembly-Prod'), { recursive: true });
    copyFileSync(fixture('missing-start-execution'), join(out, 'DevOrders.template.json'));
    copyFileSync(fixture('least-privilege-passes'), join(out, 'assembly-Prod', 'ProdOrders1234.template.json'));
    writeFileSync(join(out, 'tree.json'), '{}');
    writeFileSync(
      join(out, 'manifest.json'),
      JSON.stringify({
        version: '41.0.0',
        artifacts: {
          Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
          DevOrders: {
            type: 'aws:cloudformation:stack',
            environment: 'aws://unknown-account/unknown-region',
            properties: { templateFile: 'DevOrders.template.json' },
            displayName: 'Dev/Orders',
          },
          assemblyProd: {
            type: 'cdk:cloud-assembly',
            properties: { directoryName: 'assembly-Prod', displayName: 'Prod' },
          },
        },
      }),
    );
    writeFileSync(
      join(out, 'assembly-Prod', 'manifest.json'),
      JSON.stringify({
        version: '41.0.0',
        artifacts: {
          ProdOrders1234: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'ProdOrders1234.template.json' },
            displayName: 'Prod/Orders',
          },
        },
      }),
    );
    const { code, stdout } = await runCli(['check', out]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${join(out, 'DevOrders.template.json')} (stack Dev/Orders): Machine`);
    expect(stdout).toContain(
      `${join(out, 'assembly-Prod', 'ProdOrders1234.template.json')} (stack Prod/Orders): Machine`,
    );
    const sarif = json((await runCli(['check', out, '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('Dev/Orders/Machine');
  });

  it('names a malformed cdk.out manifest', async () => {
    const out = tmp();
    writeFileSync(
      join(out, 'manifest.json'),
      JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: {} } } }),
    );
    const { code, stderr } = await runCli(['check', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /manifest\.json at artifacts\.S\.properties\.templateFile: expected the stack template file/,
    );
  });
});

describe('--output', () => {
  it('writes the report to the file and nothing to stdout', async () => {
    const dir = tmp();
    const file = join(dir, 'report.sarif');
    const { code, stdout } = await runCli([
      'check',
      fixture('missing-start-execution'),
      '--format',
      'sarif',
      '--output',
      file,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(dir)).toEqual(['report.sarif']); // no temporary file left behind
  });

  it('leaves the previous report as it was when the run fails', async () => {
    const dir = tmp();
    const file = place(dir, 'report.json', 'previous');
    const { code } = await runCli(['check', join(dir, 'missing.yaml'), '--format', 'json', '--output', file]);
    expect(code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('names a folder it cannot write to', async () => {
    const file = join(tmp(), 'no-such-folder', 'report.json');
    const { code, stderr } = await runCli(['check', fixture('least-privilege-passes'), '--output', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--output: cannot write ${file}`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('--quiet', () => {
  it('prints only the findings that fail the run, with file:line:col, and the summary line', async () => {
    const { code, stdout } = await runCli([
      'check',
      fixture('missing-start-execution'),
      fixture('start-execution-on-star'),
      '--quiet',
    ]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => /^\S+\.json:\d+:\d+: error missing-permission \(Machine\): /.test(l))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(/^2 state machines: 1 error, \d+ warnings?, 0 info — FAILED \(--fail-on error\)$/);
    expect(stdout).not.toMatch(/over-broad-grant|Least-privilege policy/);
  });

  it('prints only the summary line when nothing fails', async () => {
    const { stdout } = await runCli(['check', fixture('start-execution-on-star'), '--quiet']);
    expect(stdout).toMatch(/^1 state machine: 0 errors, \d+ warnings?, 0 info — passed\n$/);
  });
});

describe('rules, help and version', () => {
  it('lists every rule of the registry with its level and documentation', async () => {
    const text = await runCli(['rules']);
    expect(text.code).toBe(0);
    for (const rule of RULES) expect(text.stdout).toContain(rule.id);
    const rules = json((await runCli(['rules', '--format', 'json'])).stdout);
    expect(rules).toEqual(
      RULES.map((r) => ({
        id: r.id,
        level: r.severity,
        summary: r.summary,
        docs: r.docs,
        reference: `README.md#rule-${r.id}`,
      })),
    );
  });

  it.each([[['help', 'check']], [['check', '--help']], [['check', '-h']]])(
    'prints the options of a command: %j',
    async (argv) => {
      const { code, stdout } = await runCli(argv);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Usage: dmap-guard check \[options\] <template\.\.\.>/);
      expect(stdout).toContain('--fail-on <error|unverified|warning|info|never>');
    },
  );

  it.each([['-v'], ['--version']])('prints the version with %s', async (flag) => {
    expect(await runCli([flag])).toEqual({ code: 0, stdout: 'dev\n', stderr: '' });
  });

  it('prints the commands and exits 2 without one, and names an unknown command', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/check \[options\] <template\.\.\.>/);
    const unknown = await runCli(['chek']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe("dmap-guard: unknown command 'chek' (Did you mean check?)\n");
  });

  it.each<[string[], RegExp]>([
    [['check', 'x.yaml', '--format'], /check: --format needs a value <text\|json\|sarif>/],
    [['check', 'x.yaml', '--region', 'us-east-1', '--region', 'eu-west-1'], /--region is given more than once/],
    [['audit', '--evaluator', 'remote'], /audit: --evaluator must be one of simulate, local; got "remote"/],
    [['audit', 'extra'], /audit: too many arguments for 'audit'/],
  ])('exits 2 naming the argument: %j', async (argv, message) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('config file by convention', () => {
  const suppressing = (rule: string) =>
    `suppress:\n  - { rule: ${rule}, reason: reviewed in SEC-1, action: "states:StartExecution" }\n`;

  it('reads .dmap-guard.yaml beside the template; --config wins', async () => {
    const dir = tmp();
    const template = join(dir, 'template.json');
    copyFileSync(fixture('start-execution-on-star'), template);
    place(dir, '.dmap-guard.yaml', suppressing('over-broad-grant'));
    const found = json((await runCli(['check', template, '--format', 'json'])).stdout);
    expect(found.summary.suppressed).toBeGreaterThan(0);
    const explicit = place(tmp(), 'other.yaml', 'failOn: warning\n');
    const overridden = await runCli(['check', template, '--format', 'json', '--config', explicit]);
    expect(json(overridden.stdout).summary).toMatchObject({ suppressed: 0, failOn: 'warning' });
    expect(overridden.code).toBe(1);
  });

  it('reads .dmap-guard.yaml in a folder given as the template argument', async () => {
    const dir = tmp();
    copyFileSync(fixture('start-execution-on-star'), join(dir, 'template.json'));
    place(dir, '.dmap-guard.yaml', 'failOn: warning\n');
    expect((await runCli(['check', dir])).code).toBe(1);
  });

  it('asks for --config when templates in several folders have one each', async () => {
    const [a, b] = [tmp(), tmp()];
    for (const dir of [a, b]) {
      copyFileSync(fixture('start-execution-on-star'), join(dir, 'template.json'));
      place(dir, '.dmap-guard.yaml', 'failOn: warning\n');
    }
    const { code, stderr } = await runCli(['check', join(a, 'template.json'), join(b, 'template.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/several \.dmap-guard\.yaml files apply .*; choose one with --config/);
  });

  it('reads .dmap-guard.yaml in the working directory first', async () => {
    const dir = tmp();
    place(dir, '.dmap-guard.yaml', 'failOn: warning\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { code } = await runCli(['check', fixture('start-execution-on-star')]);
      expect(code).toBe(1);
    } finally {
      process.chdir(cwd);
    }
  });

  it('rejects an unknown rule id in a suppression, naming the id, the file and the path', async () => {
    const config = place(tmp(), 'c.yaml', suppressing('over-broad'));
    const { code, stderr } = await runCli(['check', fixture('start-execution-on-star'), '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${config} at suppress[0].rule: unknown rule "over-broad"; expected one of invalid-definition,`,
    );
  });

  it('rejects an unknown rule id in template Metadata', async () => {
    const template = place(
      tmp(),
      't.yaml',
      'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Metadata: { dmap-guard: { suppress: [{ rule: overbroad, reason: x }] } }\n    Properties: { Definition: { StartAt: A, States: { A: { Type: Pass, End: true } } } }\n',
    );
    const { code, stderr } = await runCli(['check', template]);
    expect(code).toBe(2);
    expect(stderr).toContain('at Resources.M.Metadata.dmap-guard.suppress[0].rule: unknown rule "overbroad"');
  });

  it('accepts both names of a renamed rule (unverifiable-policy and unverifiable)', async () => {
    for (const rule of ['unverifiable-policy', 'unverifiable']) {
      const config = place(tmp(), 'c.yaml', `suppress:\n  - { rule: ${rule}, reason: role outside the template }\n`);
      const report = json(
        (await runCli(['check', fixture('external-role'), '--format', 'json', '--config', config])).stdout,
      );
      expect(report.summary.suppressed).toBeGreaterThan(0);
    }
  });
});

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('gives the exit codes of every command the CLI has', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toContain('check');
    const table = readme.slice(readme.indexOf('#### Exit codes'), readme.indexOf('#### CLI conventions'));
    for (const command of commands) expect(table).toContain(`\`${command}\``);
  });

  it('says how to install the CLI globally, build step included', () => {
    expect(readme).toContain('npm ci && npm run build && npm install -g .');
  });
});

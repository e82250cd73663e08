import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

const check = (name: string) => join(FIXTURES, 'check', `${name}.json`);
const SNAPSHOT = join(FIXTURES, 'snapshot', 'authorization-details.json');
const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-check-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('dmap-guard check', () => {
  it.each<[string, string[], number]>([
    ['a clean template exits 0', [check('least-privilege-passes')], 0],
    ['an error exits 1', [check('missing-start-execution')], 1],
    ['warnings pass at --fail-on error', [check('start-execution-on-star')], 0],
    ['warnings fail at --fail-on warning', [check('start-execution-on-star'), '--fail-on', 'warning'], 1],
    ['--fail-on never always exits 0', [check('missing-start-execution'), '--fail-on', 'never'], 0],
  ])('%s', async (_name, argv, code) => {
    expect((await runCli(['check', ...argv])).code).toBe(code);
  });

  it('prints the JSON shape: findings, stateMachines, summary', async () => {
    const { stdout } = await runCli(['check', check('missing-start-execution'), '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['findings', 'stateMachines', 'summary']);
    expect(report.findings[0]).toEqual(
      expect.objectContaining({
        rule: 'missing-permission',
        severity: 'error',
        stateMachine: 'Machine',
        state: '$.States.Map',
        action: 'states:StartExecution',
        line: expect.any(Number),
      }),
    );
    for (const key of ['template', 'resource', 'message', 'fix']) expect(typeof report.findings[0][key]).toBe('string');
    expect(report.stateMachines[0]).toMatchObject({
      stateMachine: 'Machine',
      verdict: 'fail',
      leastPrivilegePolicy: { Version: '2012-10-17' },
    });
    expect(report.summary).toMatchObject({ stateMachines: 1, errors: 1, failOn: 'error', failed: true });
  });

  it('groups text output per state machine with a least-privilege snippet to paste, in the template language', async () => {
    const { stdout } = await runCli(['check', check('missing-start-execution')]);
    expect(stdout).toMatch(/Machine \(STANDARD, 1 Distributed Map\) — FAIL/);
    expect(stdout).toMatch(/error {3}missing-permission \S+missing-start-execution\.json:\d+:\d+: /);
    // A JSON template gets JSON to paste.
    expect(stdout).toMatch(/Least-privilege policy for this state machine \(JSON/);
    expect(stdout).toMatch(/"Sid": "StartChildWorkflowExecutions"/);
    const yaml = await runCli(['check', join(ROOT, 'examples', 'image-pipeline', 'template.yaml')]);
    expect(yaml.stdout).toMatch(/Least-privilege policy for this state machine \(YAML/);
    expect(yaml.stdout).toMatch(/- Sid: StartChildWorkflowExecutions/);
  });

  it('writes SARIF 2.1.0 with rules and template line numbers', async () => {
    const { stdout } = await runCli(['check', check('start-execution-on-star'), '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('over-broad-grant');
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'over-broad-grant');
    expect(result.level).toBe('warning');
    // The finding points at the statement inside the role's inline policy.
    expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(20);
    expect(result.partialFingerprints['dmapGuardFinding/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads roles and managed policies outside the template from --snapshot (URL-encoded documents included)', async () => {
    const without = JSON.parse((await runCli(['check', check('external-role'), '--format', 'json'])).stdout);
    expect(without.stateMachines[0].verdict).toBe('unverified');
    const withSnapshot = JSON.parse(
      (await runCli(['check', check('external-role'), '--format', 'json', '--snapshot', SNAPSHOT])).stdout,
    );
    expect(withSnapshot.findings.map((f: { rule: string }) => f.rule)).toEqual([]);
    expect(withSnapshot.stateMachines[0].verdict).toBe('pass');
  });

  it('applies --parameter-overrides, --bucket-key and the settings of --config', async () => {
    const template = write(
      'params.yaml',
      [
        'Parameters:',
        '  DataBucket: { Type: String }',
        'Resources:',
        '  Role:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: states.amazonaws.com }, Action: sts:AssumeRole }] }',
        '      Policies:',
        '        - PolicyName: p',
        '          PolicyDocument:',
        '            Statement:',
        '              - { Effect: Allow, Action: states:StartExecution, Resource: "*" }',
        '              - { Effect: Allow, Action: [states:DescribeExecution, states:StopExecution, states:RedriveExecution], Resource: "*" }',
        '              - { Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::${DataBucket}/in.csv" }',
        '  Machine:',
        '    Type: AWS::StepFunctions::StateMachine',
        '    Properties:',
        '      RoleArn: !GetAtt Role.Arn',
        '      DefinitionString: !Sub |',
        '        {"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV"},"Parameters":{"Bucket":"${DataBucket}","Key":"in.csv"}},',
        '        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}',
      ].join('\n'),
    );
    const plain = JSON.parse((await runCli(['check', template, '--format', 'json'])).stdout);
    expect(plain.findings.map((f: { rule: string }) => f.rule)).toContain('runtime-resource');
    const resolved = JSON.parse(
      (
        await runCli([
          'check',
          template,
          '--format',
          'json',
          '--parameter-overrides',
          'DataBucket=data',
          '--bucket-key',
          'data=arn:aws:kms:us-east-1:123456789012:key/k1',
          // The key's default policy lets IAM policies grant it, so the role's policy decides (and misses it).
          '--resource-policies',
          write(
            'resource-policies.json',
            JSON.stringify({
              'arn:aws:kms:us-east-1:123456789012:key/k1': {
                Policy: JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
                      Action: 'kms:*',
                      Resource: '*',
                    },
                  ],
                }),
                PolicyName: 'default',
                Grants: [],
              },
            }),
          ),
        ])
      ).stdout,
    );
    expect(
      resolved.findings
        .filter((f: { rule: string }) => f.rule === 'missing-permission')
        .map((f: { action: string }) => f.action),
    ).toEqual(['kms:Decrypt']);
    const config = write(
      'config.yaml',
      'failOn: warning\nparameterOverrides: { DataBucket: data }\nsuppress:\n  - rule: over-broad-grant\n    reason: wildcards approved for this sandbox\n',
    );
    // The bucket the parameter names is the account's own, known to have no bucket policy (null).
    const noPolicy = write('no-bucket-policy.json', JSON.stringify({ 'arn:aws:s3:::data': null }));
    const configured = await runCli([
      'check',
      template,
      '--config',
      config,
      '--format',
      'json',
      '--resource-policies',
      noPolicy,
    ]);
    const report = JSON.parse(configured.stdout);
    expect(report.summary.failOn).toBe('warning');
    expect(
      report.findings.filter(
        (f: { rule: string; suppressed?: unknown }) => f.rule === 'over-broad-grant' && !f.suppressed,
      ),
    ).toEqual([]);
    expect(configured.code).toBe(0);
  });

  it('checks several templates in one run', async () => {
    const { stdout } = await runCli([
      'check',
      check('least-privilege-passes'),
      check('missing-redrive'),
      '--format',
      'json',
    ]);
    expect(JSON.parse(stdout).summary.stateMachines).toBe(2);
  });

  it.each<[string, () => string[], RegExp]>([
    ['no template', () => [], /expected at least 1 template/],
    ['a missing template', () => [join(dir, 'nope.yaml')], /nope\.yaml: file not found/],
    [
      'a template without Resources',
      () => [write('empty.yaml', 'Description: nothing\n')],
      /empty\.yaml at Resources: expected a Resources section/,
    ],
    [
      'invalid YAML with its line',
      () => [write('bad.yaml', 'Resources:\n  A: [\n')],
      /bad\.yaml:\d+:\d+: invalid YAML/,
    ],
    [
      'a YAML alias bomb',
      () => [
        write(
          'bomb.yaml',
          [
            'a: &a [x, x, x, x, x, x, x, x, x, x]',
            ...'bcdefgh'
              .split('')
              .map(
                (c, i) =>
                  `${c}: &${c} [*${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}, *${'abcdefgh'[i]}]`,
              ),
            'Resources: *h',
          ].join('\n'),
        ),
      ],
      /alias bomb/,
    ],
    [
      'an undeclared parameter override',
      () => [check('least-privilege-passes'), '--parameter-overrides', 'Nope=1'],
      /no template declares the parameter Nope/,
    ],
    [
      'a bad account id',
      () => [check('least-privilege-passes'), '--account-id', '42'],
      /--account-id must be 12 digits/,
    ],
    [
      'a suppression without a reason',
      () => [
        write(
          'noreason.yaml',
          'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Metadata: { dmap-guard: { suppress: [{ rule: over-broad-grant }] } }\n    Properties: { Definition: { StartAt: A, States: { A: { Type: Pass, End: true } } } }\n',
        ),
      ],
      /Resources\.M\.Metadata\.dmap-guard\.suppress\[0\]\.reason: suppressing over-broad-grant needs a reason/,
    ],
    [
      'a bad snapshot',
      () => [check('least-privilege-passes'), '--snapshot', write('snap.json', '{"RoleDetailList": [{"Arn": 1}]}')],
      /snap\.json at \$\.RoleDetailList\[0\]: expected a role with Arn and RoleName/,
    ],
    [
      'an unknown config setting',
      () => [check('least-privilege-passes'), '--config', write('c.yaml', 'failOn: error\nstrict: true\n')],
      /c\.yaml at strict: unknown setting/,
    ],
  ])('exits 2 with a clear message for %s', async (_name, argv, message) => {
    const { code, stderr } = await runCli(['check', ...argv()]);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-policy-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent';
const DEFINITION = {
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV' },
        Parameters: { 'Bucket.$': '$.bucket', Key: 'k.csv' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
};

describe('dmap-guard policy', () => {
  it('prints JSON by default and YAML on request, and notes runtime wildcards on stderr', async () => {
    const file = write('def.json', JSON.stringify(DEFINITION));
    const json = await runCli(['policy', file, '--state-machine-arn', ARN]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).Statement[0]).toMatchObject({ Sid: 'StartChildWorkflowExecutions', Resource: ARN });
    expect(json.stderr).toMatch(/ReadItemReaderObjects.*\$\.bucket/);
    const yaml = await runCli(['policy', file, '--state-machine-arn', ARN, '--format', 'yaml']);
    expect(yaml.stdout).toMatch(/^Version: 2012-10-17/);
  });

  it('reads YAML definitions', async () => {
    const file = write('def.asl.yaml', 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n');
    const { code, stdout } = await runCli(['policy', file, '--state-machine-arn', ARN]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).Statement).toEqual([]);
  });

  it.each<[string, () => string[], RegExp]>([
    ['a missing ARN', () => [write('a.json', JSON.stringify(DEFINITION))], /--state-machine-arn is required/],
    [
      'a bad ARN',
      () => [
        write('b.json', JSON.stringify(DEFINITION)),
        '--state-machine-arn',
        'arn:aws:states:us-east-1:123456789012:activity:x',
      ],
      /must look like/,
    ],
    ['a missing file', () => [join(dir, 'nope.json'), '--state-machine-arn', ARN], /nope\.json: file not found/],
    [
      'invalid JSON',
      () => [write('c.json', '{"StartAt": "A",\n  "States": {,}}'), '--state-machine-arn', ARN],
      /c\.json:2:\d+: invalid JSON/,
    ],
    [
      'invalid YAML',
      () => [write('d.yaml', 'StartAt: A\nStates: [\n'), '--state-machine-arn', ARN],
      /d\.yaml:\d+:\d+: invalid YAML/,
    ],
    [
      'a bad definition',
      () => [write('e.json', '{"StartAt":"A","States":{"A":{"End":true}}}'), '--state-machine-arn', ARN],
      /e\.json at \$\.States\.A\.Type: expected a state type/,
    ],
    [
      'a bad --kms-key',
      () => [write('f.json', JSON.stringify(DEFINITION)), '--state-machine-arn', ARN, '--kms-key', 'bucket'],
      /--kms-key expects NAME=VALUE/,
    ],
    [
      'a bad --format',
      () => [write('g.json', JSON.stringify(DEFINITION)), '--state-machine-arn', ARN, '--format', 'xml'],
      /--format must be one of json, yaml/,
    ],
  ])('exits 2 with a clear message for %s', async (_name, argv, message) => {
    const { code, stderr } = await runCli(['policy', ...argv()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('fills ${Key} placeholders of a SAM definition from --substitution', async () => {
    const sam = {
      ...DEFINITION,
      States: {
        Map: {
          ...DEFINITION.States.Map,
          ItemReader: { ...DEFINITION.States.Map.ItemReader, Parameters: { Bucket: '${InputBucket}', Key: 'k.csv' } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: '${Results}' } },
        },
      },
    };
    const file = write('sam.asl.json', JSON.stringify(sam));
    const { code, stdout, stderr } = await runCli([
      'policy',
      file,
      '--state-machine-arn',
      ARN,
      '--substitution',
      'InputBucket=input-data',
      '--substitution',
      'Results=results-bucket',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const resources = JSON.parse(stdout).Statement.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
    expect(resources).toContain('arn:aws:s3:::input-data/k.csv');
    expect(resources).toContain('arn:aws:s3:::results-bucket/*');
    expect(stdout).not.toContain('${');
  });

  it('warns on stderr, naming it, about a --kms-key bucket no ItemReader or ResultWriter uses', async () => {
    const file = write(
      'kms.json',
      JSON.stringify({
        ...DEFINITION,
        States: {
          Map: {
            ...DEFINITION.States.Map,
            ItemReader: { ...DEFINITION.States.Map.ItemReader, Parameters: { Bucket: 'used', Key: 'k.csv' } },
          },
        },
      }),
    );
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { code, stdout, stderr } = await runCli([
      'policy',
      file,
      '--state-machine-arn',
      ARN,
      '--kms-key',
      `used=${key}`,
      '--kms-key',
      `unused-bucket=${key}`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(key);
    expect(stderr).toMatch(/^warning: --kms-key names bucket unused-bucket, which no ItemReader or ResultWriter/m);
    expect(stderr).not.toMatch(/bucket used,/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-bucket-keys-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** One Distributed Map reading a CSV from input-bucket and writing results to results-bucket. */
const template = (definition: string) =>
  write(
    'template.yaml',
    [
      'Resources:',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: states.amazonaws.com }, Action: sts:AssumeRole }] }',
      '  Machine:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties:',
      '      RoleArn: !GetAtt Role.Arn',
      `      DefinitionString: '${definition}'`,
    ].join('\n'),
  );
const MAP =
  '{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV"},"Parameters":{"Bucket":"input-bucket","Key":"in.csv"}},' +
  '"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results-bucket","Prefix":"out"}},' +
  '"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}';

describe('dmap-guard check: bucket keys no state machine uses', () => {
  it('warns on stderr about a --bucket-key bucket no ItemReader or ResultWriter uses, naming the used ones', async () => {
    const file = template(MAP);
    const without = await runCli(['check', file, '--format', 'json']);
    const typo = await runCli(['check', file, '--format', 'json', '--bucket-key', `input-buckte=${KEY}`]);
    expect(typo.stderr).toMatch(
      /^warning: --bucket-key names bucket input-buckte, which no ItemReader or ResultWriter of the checked state machines uses; its key is not used \(buckets used: input-bucket, results-bucket\)$/m,
    );
    // A warning only: the same report and exit status as without the key.
    expect(typo.code).toBe(without.code);
    expect(typo.stdout).toBe(without.stdout);
  });

  it('is quiet about a key of a bucket a Distributed Map reads', async () => {
    const { stderr } = await runCli([
      'check',
      template(MAP),
      '--format',
      'json',
      '--bucket-key',
      `input-bucket=${KEY}`,
    ]);
    expect(stderr).not.toMatch(/--bucket-key names bucket/);
  });

  it('names the config file for an unused key of its bucketKeys', async () => {
    const config = write('config.yaml', `bucketKeys: { results-buckett: "${KEY}" }\n`);
    const { stderr } = await runCli(['check', template(MAP), '--format', 'json', '--config', config]);
    expect(stderr).toMatch(
      new RegExp(`^warning: bucketKeys of ${config.replace(/[.\\]/g, '\\$&')} names bucket results-buckett,`, 'm'),
    );
  });

  it('says when the state machines name no bucket before run time', async () => {
    const runtime = MAP.replace('"Bucket":"input-bucket"', '"Bucket.$":"$.bucket"').replace(
      /,"ResultWriter":\{[^}]*\}\}/,
      '',
    );
    const { stderr } = await runCli(['check', template(runtime), '--format', 'json', '--bucket-key', `data=${KEY}`]);
    expect(stderr).toMatch(/--bucket-key names bucket data, .* \(none names a bucket before run time\)$/m);
  });

  it('calls no key unused when a definition could not be read (the bucket could be used there)', async () => {
    const { stdout, stderr } = await runCli([
      'check',
      template('{"StartAt": '),
      '--format',
      'json',
      '--bucket-key',
      `data=${KEY}`,
    ]);
    expect(JSON.parse(stdout).findings.map((f: { rule: string }) => f.rule)).toContain('invalid-definition');
    expect(stderr).not.toMatch(/names bucket data/);
  });
});

describe('dmap-guard policy: --kms-key no state machine uses', () => {
  it('names the buckets the definition uses', async () => {
    const file = write('definition.json', MAP);
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';
    const { code, stderr } = await runCli(['policy', file, '--state-machine-arn', arn, '--kms-key', `results=${KEY}`]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^warning: --kms-key names bucket results, .* \(buckets used: input-bucket, results-bucket\)$/m,
    );
  });
});

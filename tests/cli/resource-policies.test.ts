// --resource-policies: key and bucket policies outside the template, as the AWS CLI prints them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { physicalName } from '../../lib/cfn/resources';
import { parseResourcePolicies } from '../../lib/inputs/resource-policies';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

const check = (name: string) => join(FIXTURES, 'check', `${name}.json`);
const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-respol-'));
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
// The name CloudFormation would give the fixtures' role, as dmap-guard derives it (stack "dmap-guard" offline).
const ROLE_NAME = physicalName(
  { partition: 'aws', region: 'us-east-1', account: '123456789012', stackName: 'dmap-guard' },
  'Role',
);
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE_NAME}`;
const OTHER_KEY = 'arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function rulesOf(template: string, policies: unknown): Promise<string[]> {
  const file = write('policies.json', policies);
  const { stdout, stderr } = await runCli([
    'check',
    check(template),
    '--format',
    'json',
    '--fail-on',
    'never',
    '--resource-policies',
    file,
  ]);
  expect(stderr).toBe('');
  return JSON.parse(stdout)
    .findings.map((f: { rule: string; action: string }) => `${f.rule} ${f.action}`)
    .filter((f: string) => /^(missing-permission|unverifiable-policy|invalid-definition)/.test(f));
}

describe('--resource-policies', () => {
  it('an other-account bucket whose policy allows the role, and the role allows: nothing to report', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ROLE_ARN },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::partner-bucket/*',
        },
      ],
    };
    // As `aws s3api get-bucket-policy --bucket partner-bucket --output json` prints it.
    expect(
      await rulesOf('other-account-bucket', { 'arn:aws:s3:::partner-bucket': { Policy: JSON.stringify(policy) } }),
    ).toEqual([]);
  });

  it('a Terraform plan takes them too: a bucket outside the plan is decided once its policy is given', async () => {
    const plan = join(FIXTURES, 'terraform', 'iam-policy-attachment.json');
    const run = async (extra: string[]) => {
      const { stdout } = await runCli(['check', plan, '--format', 'json', '--fail-on', 'never', ...extra]);
      return JSON.parse(stdout).findings.map((f: { rule: string; messageId: string; action: string }) =>
        f.rule === 'unverifiable' ? `${f.rule} ${f.messageId}` : `${f.rule} ${f.action}`,
      );
    };
    expect(await run([])).toContain('unverifiable resourcePolicyUnknown');
    const decided = await run(['--resource-policies', write('policies.json', { 'arn:aws:s3:::orders-input': null })]);
    expect(decided).toContain('missing-permission s3:GetObject');
    expect(decided).not.toContain('unverifiable resourcePolicyUnknown');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['the CLI output form with Policy null', { Policy: null }],
  ])('a bucket given as %s is known to have no bucket policy', (_name, entry) => {
    const policies = parseResourcePolicies(JSON.stringify({ 'arn:aws:s3:::bkt1': entry }), 'policies.json');
    expect(policies.get('arn:aws:s3:::bkt1')?.document).toBeNull();
  });

  it('the policy text as `--query Policy --output text` prints it is a document', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    const policies = parseResourcePolicies(JSON.stringify({ [OTHER_KEY]: text }), 'policies.json');
    expect(policies.get(OTHER_KEY)?.document).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('an other-account bucket without a bucket policy: the role alone is not enough', async () => {
    expect(await rulesOf('other-account-bucket', { 'arn:aws:s3:::partner-bucket': null })).toEqual([
      'missing-permission s3:GetObject',
    ]);
  });

  it('an other-account key whose policy allows the role account, with no grants', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: '*',
        },
      ],
    };
    expect(
      await rulesOf('other-account-key', {
        [OTHER_KEY]: { Policy: JSON.stringify(policy), PolicyName: 'default', Grants: [] },
      }),
    ).toEqual([]);
  });

  it('an other-account key whose policy does not name the role account: the key policy is what is missing', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'kms:*', Resource: '*' },
      ],
    };
    const file = write('policies.json', { [OTHER_KEY]: { Policy: policy, Grants: [] } });
    const { stdout } = await runCli([
      'check',
      check('other-account-key'),
      '--format',
      'json',
      '--fail-on',
      'never',
      '--resource-policies',
      file,
    ]);
    const finding = JSON.parse(stdout).findings.find((f: { rule: string }) => f.rule === 'missing-permission');
    expect(finding.fix).toMatch(/^Add to the key policy of arn:aws:kms:us-east-1:210987654321:key\//);
  });

  it.each([
    [
      'key-policy-without-root-or-role',
      /^Add to the key policy of arn:aws:kms:us-east-1:123456789012:key\/[^:]+:\n- Sid: AllowStepFunctionsExecutionRole/,
    ],
    ['key-policy-root-without-grant', /^Add to the execution role:/],
    [
      'bucket-policy-deny-source-vpce',
      /^Change statement VpceOnly of the policy of bucket output-bucket so it does not deny/,
    ],
  ])('%s: the fix names the policy to change', async (template, fix) => {
    const { stdout } = await runCli(['check', check(template), '--format', 'json', '--fail-on', 'never']);
    const fixes = JSON.parse(stdout)
      .findings.filter((f: { rule: string }) => f.rule === 'missing-permission')
      .map((f: { fix: string }) => f.fix);
    expect(fixes).toEqual(expect.arrayContaining([expect.stringMatching(fix)]));
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'policies.json at $: expected an object of key or bucket ARN → policy document'],
    ['a name that is no ARN', { mybucket: null }, 'policies.json at $["mybucket"]: expected a KMS key ARN'],
    [
      'a document without Statement',
      { 'arn:aws:s3:::bkt1': { Version: '2012-10-17' } },
      'at $["arn:aws:s3:::bkt1"]: expected a policy document with a Statement',
    ],
    [
      'Policy text that is not JSON',
      { 'arn:aws:s3:::bkt1': { Policy: '{' } },
      'at $["arn:aws:s3:::bkt1"].Policy: the policy text is not JSON',
    ],
    [
      'grants on a bucket',
      { 'arn:aws:s3:::bkt1': { Policy: null, Grants: [] } },
      'at $["arn:aws:s3:::bkt1"].Grants: only KMS keys have grants',
    ],
    [
      'a grant without Operations',
      { [OTHER_KEY]: { Policy: '{"Statement":[]}', Grants: [{}] } },
      `at $["${OTHER_KEY}"].Grants[0]: expected a grant with an Operations array`,
    ],
    [
      'an unknown field',
      { 'arn:aws:s3:::bkt1': { Polcy: null } },
      'at $["arn:aws:s3:::bkt1"]["Polcy"]: expected Policy, PolicyName, Grants or Account',
    ],
    [
      'null for a key (a KMS key always has a key policy)',
      { [OTHER_KEY]: null },
      `policies.json at $["${OTHER_KEY}"]: a KMS key always has a key policy`,
    ],
    [
      'Policy null for a key, as the CLI output form',
      { [OTHER_KEY]: { Policy: null, PolicyName: 'default' } },
      `policies.json at $["${OTHER_KEY}"].Policy: a KMS key always has a key policy`,
    ],
    [
      'the CLI output form without Policy',
      { 'arn:aws:s3:::bkt1': { Account: '210987654321' } },
      'at $["arn:aws:s3:::bkt1"]: expected Policy: the policy document, its JSON text, or null for no policy',
    ],
    [
      'a statement without Effect',
      { 'arn:aws:s3:::bkt1': { Statement: [{ Principal: '*', Action: 's3:*', Resource: '*' }] } },
      'at $["arn:aws:s3:::bkt1"].Statement[0].Effect: expected "Allow" or "Deny"',
    ],
    [
      'a statement without Principal',
      { 'arn:aws:s3:::bkt1': { Statement: { Effect: 'Deny', Action: 's3:*', Resource: '*' } } },
      'at $["arn:aws:s3:::bkt1"].Statement: expected exactly one of Principal and NotPrincipal',
    ],
    [
      'a Principal of the wrong shape, in the policy text',
      {
        'arn:aws:s3:::bkt1': {
          Policy: JSON.stringify({
            Statement: [{ Effect: 'Deny', Principal: { AWS: 1 }, Action: 's3:*', Resource: '*' }],
          }),
        },
      },
      'at $["arn:aws:s3:::bkt1"].Policy (policy text at $.Statement[0].Principal): expected "*" or an object of AWS',
    ],
    [
      'a condition key without a prefix',
      {
        'arn:aws:s3:::bkt1': {
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: '*',
              Condition: { Bool: { SecureTransport: 'false' } },
            },
          ],
        },
      },
      'at $["arn:aws:s3:::bkt1"].Statement[0].Condition.Bool["SecureTransport"]: expected a condition key of the form prefix:name',
    ],
  ])('%s is refused, naming the file and the JSON path', (_name, value, message) => {
    expect(() => parseResourcePolicies(JSON.stringify(value), 'policies.json')).toThrow(message);
  });
});

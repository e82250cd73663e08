// `dmap-guard hook --resource-policies`: offline, the key and bucket policies the hook would read from the account.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const EVENTS = join(__dirname, '..', '..', 'events');
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0b7e1a04-external';

/** The orders stack with its results bucket encrypted by a key outside the stack. */
function stackWithExternalKey(dir: string): string {
  const text = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
  const withoutKey = text.replace(/\n {2}OrdersKey:\n(?: {4,}.*\n)+/, '\n').replaceAll('!GetAtt OrdersKey.Arn', KEY);
  const file = join(dir, 'stack.yaml');
  writeFileSync(file, withoutKey);
  return file;
}

describe('dmap-guard hook --resource-policies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-hook-policies-'));
  const stack = stackWithExternalKey(dir);
  const event = join(EVENTS, 'hook-statemachine-create.json');

  it('without the key policy, the KMS needs are unverifiable (the key policy is the gate)', async () => {
    const { stdout } = await runCli(['hook', event, '--stack-template', stack]);
    expect(JSON.parse(stdout).message).toMatch(
      /UNVERIFIED[\s\S]*without the key policy of arn:aws:kms:[^ ]*external, which is not known/,
    );
  });

  it('with a key policy that delegates to IAM (the account root), the role decides: it passes', async () => {
    const policies = join(dir, 'policies.json');
    // The default key policy: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    writeFileSync(
      policies,
      JSON.stringify({
        [KEY]: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
          ],
        },
      }),
    );
    const { code, stdout } = await runCli(['hook', event, '--stack-template', stack, '--resource-policies', policies]);
    const response = JSON.parse(stdout);
    expect(response.message).not.toMatch(/key policy of \S+, which is not known/);
    expect([code, response.hookStatus]).toEqual([0, 'SUCCESS']);
  });
});

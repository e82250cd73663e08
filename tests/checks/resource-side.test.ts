// AWS mode: the identity side from the simulator, the resource side read from the account and evaluated here with
// the same request context (SimulatePrincipalPolicy: "Simulation of resource-based policies isn't supported for
// IAM roles", https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html).
import { checkStateMachines } from '../../lib/checks/analyze';
import { liveResourcePolicies } from '../../lib/checks/resource-side';
import { evaluate, compilePolicySet, parsePolicy, type AccessRequest } from '../../lib/iam';
import { stateMachineModel } from '../../lib/model/state-machine';
import type { PolicyRead } from '../../lib/ports/backend';
import type { Simulator } from '../../lib/ports/simulator';
import { distributedMap } from './machines';

const ROLE = 'arn:aws:iam::123456789012:role/MapRole';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/k1';

/** Allows everything, as SimulatePrincipalPolicy would for a role granting s3:* and kms:*. */
const allowAll: Simulator = {
  async simulate(_role, requests: AccessRequest[]) {
    const { policy } = parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      'p',
    );
    const set = compilePolicySet({ identity: [policy] });
    return requests.map((r) => ({ ...evaluate(set, r), wholeRole: true }));
  },
};

function machine() {
  return stateMachineModel({
    id: 'M',
    name: 'Machine',
    partition: 'aws',
    region: 'us-east-1',
    account: '123456789012',
    definition: distributedMap(),
    source: 'account',
    role: { arn: ROLE, identityPolicies: [], unknown: [] },
  });
}

async function statusesWith(backend: {
  keyPolicy: (arn: string) => Promise<PolicyRead>;
  bucketPolicy: (bucket: string) => Promise<PolicyRead>;
}) {
  const calls: string[] = [];
  const reads = {
    keyPolicy: async (arn: string) => (calls.push(`key ${arn}`), backend.keyPolicy(arn)),
    keyGrants: async () => [],
    bucketPolicy: async (bucket: string) => (calls.push(`bucket ${bucket}`), backend.bucketPolicy(bucket)),
  };
  const { analyses, findings } = await checkStateMachines([machine(), machine()], {
    simulator: allowAll,
    bucketKey: async () => KEY,
    resourcePolicy: liveResourcePolicies(reads),
  });
  const statuses = Object.fromEntries(
    (analyses[0]?.needResults ?? []).map((r) => [r.need.actions.join(','), r.status]),
  );
  return { statuses, findings, calls };
}

describe('resource policies read in AWS mode', () => {
  it('an AccessDenied read makes the needs on that resource unknown, not a pass and not a failure', async () => {
    const { statuses, findings } = await statusesWith({
      keyPolicy: async () => ({ unreadable: 'kms:GetKeyPolicy failed (AccessDeniedException: no)' }),
      bucketPolicy: async () => ({ document: null }),
    });
    expect(statuses['kms:Decrypt']).toBe('unknown');
    expect(statuses['s3:GetObject']).toBe('allowed');
    expect(findings.find((f) => f.action === 'kms:Decrypt')?.message).toContain(
      'kms:GetKeyPolicy failed (AccessDeniedException: no)',
    );
  });

  it('a bucket policy Deny read from the account denies what the simulator allowed', async () => {
    const deny = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Vpce',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    };
    const { statuses } = await statusesWith({
      keyPolicy: async () => ({
        document: JSON.stringify({
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
          ],
        }),
      }),
      bucketPolicy: async () => ({ document: JSON.stringify(deny) }),
    });
    expect(statuses).toEqual(expect.objectContaining({ 's3:GetObject': 'denied', 'kms:Decrypt': 'allowed' }));
  });

  it('each resource is read once per check, however many machines name it', async () => {
    const { calls } = await statusesWith({
      keyPolicy: async () => ({ document: null }),
      bucketPolicy: async () => ({ document: null }),
    });
    expect(calls.sort()).toEqual([`bucket in-bucket`, `key ${KEY}`]);
  });
});

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

// Listing and ResultWriter buckets must be in the state machine's Region. ItemReader: "Step Functions only supports
// listing objects in Amazon S3 buckets that are in both the same AWS account and the same AWS Region as the state
// machine" (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html). ResultWriter: "Make
// sure that the Amazon S3 bucket you use to export the results of a Map Run is under the same AWS account and AWS
// Region as your state machine. Otherwise, your state machine execution will fail with the States.ResultWriterFailed
// error." (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html)
describe('bucket Regions read in AWS mode (s3:GetBucketLocation)', () => {
  const listAndWrite = {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'listed', Prefix: 'in/' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'P',
          States: { P: { Type: 'Pass', End: true } },
        },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } },
        End: true,
      },
    },
  };
  const machineWith = (definition: unknown, resourcePolicies?: Map<string, { document: null; source: string }>) =>
    stateMachineModel({
      id: 'M',
      name: 'Machine',
      partition: 'aws',
      region: 'us-east-1',
      account: '123456789012',
      definition,
      source: 'account',
      role: { arn: ROLE, identityPolicies: [], unknown: [] },
      ...(resourcePolicies ? { resourcePolicies } : {}),
    });

  async function regionCheck(regions: Record<string, string | { unreadable: string } | undefined>, machines = 1) {
    const asked: string[] = [];
    const reads = {
      keyPolicy: async () => ({ document: null }),
      keyGrants: async () => [],
      bucketPolicy: async () => ({ document: null }),
      bucketRegion: async (bucket: string) => (asked.push(bucket), regions[bucket]),
    };
    const { findings } = await checkStateMachines(
      Array.from({ length: machines }, () => machineWith(listAndWrite)),
      { simulator: allowAll, resourcePolicy: liveResourcePolicies(reads) },
    );
    return { findings: findings.filter((f) => f.stateMachine === 'M' && f.rule !== 'over-broad-grant'), asked };
  }

  it('a listing bucket and a ResultWriter bucket in another Region are invalid-definition errors', async () => {
    const { findings } = await regionCheck({ listed: 'eu-west-1', results: 'us-west-2' });
    expect(findings.filter((f) => f.rule === 'invalid-definition').map((f) => [f.messageId, f.message])).toEqual([
      [
        'bucketInOtherRegion',
        expect.stringMatching(
          /^Bucket listed is in Region eu-west-1, not us-east-1: Step Functions only supports listing/,
        ),
      ],
      [
        'bucketInOtherRegion',
        expect.stringMatching(/^Bucket results is in Region us-west-2, not us-east-1: .*States\.ResultWriterFailed/),
      ],
    ]);
  });

  it('buckets in the Region pass, and each bucket is asked once per check', async () => {
    const { findings, asked } = await regionCheck({ listed: 'us-east-1', results: 'us-east-1' }, 2);
    expect(findings.filter((f) => f.rule === 'invalid-definition' || f.rule === 'unverifiable')).toEqual([]);
    expect(asked).toEqual(['listed', 'results']);
  });

  it('a Region that cannot be read is unverifiable with the reason, never a pass and never an error', async () => {
    const { findings } = await regionCheck({
      listed: { unreadable: 's3:GetBucketLocation failed (AccessDenied: Access Denied)' },
      results: 'us-east-1',
    });
    expect(findings.map((f) => [f.rule, f.messageId])).toEqual([['unverifiable', 'machineUndecided']]);
    expect(findings[0]?.message).toMatch(
      /^Cannot decide the Region of bucket listed: s3:GetBucketLocation failed \(AccessDenied: Access Denied\)/,
    );
    expect(findings[0]?.fix).toMatch(/s3:GetBucketLocation on arn:aws:s3:::listed/);
  });

  it('a bucket not created yet (undefined) is not judged; a bucket of the template is in its stack Region, not asked', async () => {
    expect((await regionCheck({})).findings).toEqual([]);
    const asked: string[] = [];
    const known = new Map([['arn:aws:s3:::listed', { document: null, source: 'template', region: 'us-east-1' }]]);
    await checkStateMachines([machineWith(listAndWrite, known)], {
      simulator: allowAll,
      resourcePolicy: liveResourcePolicies({
        keyPolicy: async () => ({ document: null }),
        keyGrants: async () => [],
        bucketPolicy: async () => ({ document: null }),
        bucketRegion: async (bucket: string) => (asked.push(bucket), 'us-east-1'),
      }),
    });
    expect(asked).toEqual(['results']);
  });

  it('a bucket in another account (ExpectedBucketOwner) is an account error, its Region not asked', async () => {
    const definition = structuredClone(listAndWrite) as typeof listAndWrite;
    (definition.States.Map.ItemReader.Parameters as Record<string, string>).ExpectedBucketOwner = '210987654321';
    const asked: string[] = [];
    const { findings } = await checkStateMachines([machineWith(definition)], {
      simulator: allowAll,
      resourcePolicy: liveResourcePolicies({
        keyPolicy: async () => ({ document: null }),
        keyGrants: async () => [],
        bucketPolicy: async () => ({ document: null }),
        bucketRegion: async (bucket: string) => (asked.push(bucket), 'eu-west-1'),
      }),
    });
    expect(asked).toEqual(['results']);
    expect(findings.filter((f) => f.rule === 'invalid-definition').map((f) => f.messageId)).toEqual([
      'bucketInOtherAccount',
      'bucketInOtherRegion',
    ]);
  });
});

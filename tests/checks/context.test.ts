// The request context per key, as the calling service builds it (lib/needs/context.ts), each row citing its page.
import { parseDefinition } from '../../lib/asl/definition';
import { needRequests } from '../../lib/checks/requests';
import type { AccessRequest } from '../../lib/iam';
import type { RoleModel, StateMachineModel } from '../../lib/model/state-machine';
import { deriveNeeds } from '../../lib/needs';
import { CONTEXT_KEYS, contextKeyType, PAGES, resolveKey, type RequestFacts } from '../../lib/needs/context';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/orders-dmap-role`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111`;
const OTHER_KEY = 'arn:aws:kms:us-east-1:210987654321:key/2222';
const NOW = new Date('2026-12-01T10:00:00.000Z');

function machineWith(definition: unknown, extra: Partial<StateMachineModel['context']> = {}): StateMachineModel {
  return {
    id: 'Machine',
    arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:orders`,
    context: {
      name: 'orders',
      partition: 'aws',
      region: 'us-east-1',
      account: ACCOUNT,
      type: 'STANDARD',
      bucketKeys: { input: KEY, output: OTHER_KEY },
      logging: false,
      tracing: false,
      ...extra,
    },
    definition,
    source: 'template.yaml',
    suppressions: [],
    unverifiable: [],
  };
}

const DEFINITION = {
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: 'input', Key: 'in/items.csv', VersionId: 'v1' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Pass',
        States: { Pass: { Type: 'Pass', End: true } },
      },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'output', Prefix: 'out' } },
      End: true,
    },
    List: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'input', Prefix: 'data/' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Pass',
        States: { Pass: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
};

const role: RoleModel = { arn: ROLE, identityPolicies: [], unknown: [], tags: new Map([['team', 'data']]) };

function requestsOf(machine: StateMachineModel, r: RoleModel = role): AccessRequest[] {
  const needs = deriveNeeds(parseDefinition(machine.definition), machine.context).needs.filter((n) => !n.runtime);
  return needs.flatMap((need) => needRequests(need, machine, r, NOW));
}

function requestFor(action: string, resourcePart: string, requests = requestsOf(machineWith(DEFINITION))) {
  const found = requests.find((r) => r.action === action && r.resource.includes(resourcePart));
  if (!found) throw new Error(`no request ${action} on *${resourcePart}*`);
  return found;
}

/** A key's value in a request: its values, or why it has none. */
function valueOf(request: AccessRequest, key: string): readonly string[] | 'absent' | 'unknown' {
  const entry = Object.entries(request.context ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (entry) return entry[1];
  const missing = request.missingKeys;
  return typeof missing === 'function' ? missing(key.toLowerCase()) : (missing ?? 'unknown');
}

const START = ['states:StartExecution', 'stateMachine:orders'] as const;
const LIST = ['s3:ListBucket', 's3:::input'] as const;
const GET_VERSION = ['s3:GetObjectVersion', 'input/in/items.csv'] as const;
const PUT = ['s3:PutObject', 'output/out/'] as const;
const DECRYPT_READ = ['kms:Decrypt', 'key/1111'] as const;
const DECRYPT_WRITE = ['kms:GenerateDataKey', 'key/2222'] as const;

describe('request context keys (one row per key, with the page that says so)', () => {
  it.each<[string, readonly [string, string], readonly string[] | 'absent' | 'unknown', string]>([
    // Global keys on every request of the role's session.
    ['aws:PrincipalArn', START, [ROLE], PAGES.globalKeys],
    ['aws:PrincipalAccount', START, [ACCOUNT], PAGES.globalKeys],
    ['aws:PrincipalType', START, ['AssumedRole'], PAGES.principalTypes],
    ['aws:PrincipalIsAWSService', START, ['false'], PAGES.globalKeys],
    ['aws:RequestedRegion', LIST, ['us-east-1'], PAGES.globalKeys],
    ['aws:SecureTransport', PUT, ['true'], PAGES.globalKeys],
    ['aws:CurrentTime', START, ['2026-12-01T10:00:00.000Z'], PAGES.globalKeys],
    ['aws:EpochTime', START, [String(NOW.getTime() / 1000)], PAGES.globalKeys],
    ['aws:ResourceAccount', START, [ACCOUNT], PAGES.globalKeys],
    ['aws:ResourceAccount', LIST, [ACCOUNT], PAGES.globalKeys],
    ['aws:ResourceAccount', DECRYPT_WRITE, ['210987654321'], PAGES.globalKeys],
    ['aws:ViaAWSService', START, ['false'], PAGES.forwardAccess],
    ['aws:ViaAWSService', LIST, ['false'], PAGES.forwardAccess],
    ['aws:ViaAWSService', DECRYPT_READ, ['true'], PAGES.forwardAccess],
    ['aws:PrincipalTag/team', START, ['data'], PAGES.globalKeys],
    ['aws:PrincipalTag/owner', START, 'absent', PAGES.globalKeys],
    // Known to be absent: Step Functions calls from its own network, as a role session.
    ['aws:SourceVpce', LIST, 'absent', PAGES.globalKeys],
    ['aws:SourceVpc', LIST, 'absent', PAGES.globalKeys],
    ['aws:SourceVpcArn', LIST, 'absent', PAGES.globalKeys],
    ['aws:VpcSourceIp', START, 'absent', PAGES.globalKeys],
    ['aws:username', START, 'absent', PAGES.globalKeys],
    ['aws:SourceArn', START, 'absent', PAGES.globalKeys],
    ['aws:SourceAccount', LIST, 'absent', PAGES.globalKeys],
    ['aws:PrincipalServiceName', START, 'absent', PAGES.globalKeys],
    ['aws:CalledVia', START, 'absent', PAGES.forwardAccess],
    ['aws:CalledViaLast', DECRYPT_READ, 'unknown', PAGES.forwardAccess],
    // Unknown: present with an undocumented value, or not known without a snapshot.
    ['aws:SourceIp', LIST, 'unknown', PAGES.globalKeys],
    ['aws:userid', START, 'unknown', PAGES.globalKeys],
    ['aws:TokenIssueTime', START, 'unknown', PAGES.globalKeys],
    ['aws:MultiFactorAuthPresent', START, 'unknown', PAGES.globalKeys],
    ['aws:RequestTag/env', START, 'unknown', PAGES.globalKeys],
    ['aws:ResourceTag/env', START, 'unknown', PAGES.globalKeys],
    ['aws:TagKeys', START, 'unknown', PAGES.globalKeys],
    ['aws:PrincipalOrgID', START, 'unknown', PAGES.globalKeys],
    ['aws:ResourceOrgPaths', LIST, 'unknown', PAGES.globalKeys],
    ['aws:SomeFutureKey', START, 'unknown', PAGES.globalKeys],
    // S3.
    ['s3:prefix', LIST, ['data/'], PAGES.itemReader],
    ['s3:prefix', GET_VERSION, 'absent', PAGES.s3Keys],
    ['s3:delimiter', LIST, 'unknown', PAGES.s3Keys],
    ['s3:max-keys', LIST, 'unknown', PAGES.s3Keys],
    ['s3:VersionId', GET_VERSION, ['v1'], PAGES.itemReader],
    ['s3:VersionId', PUT, 'absent', PAGES.s3Keys],
    ['s3:x-amz-server-side-encryption', PUT, 'unknown', PAGES.s3Keys],
    // Another service's keys are not in the request.
    ['kms:ViaService', LIST, 'absent', PAGES.serviceKeys],
    ['s3:prefix', START, 'absent', PAGES.serviceKeys],
    // KMS, called by S3 for SSE-KMS objects.
    ['kms:ViaService', DECRYPT_READ, ['s3.us-east-1.amazonaws.com'], PAGES.kmsKeys],
    ['kms:CallerAccount', DECRYPT_WRITE, [ACCOUNT], PAGES.kmsKeys],
    ['kms:EncryptionContextKeys', DECRYPT_READ, ['aws:s3:arn'], PAGES.s3Kms],
    ['kms:EncryptionContext:aws:s3:arn', DECRYPT_READ, 'unknown', PAGES.s3Kms],
    ['kms:EncryptionContext:department', DECRYPT_READ, 'absent', PAGES.s3Kms],
    ['kms:GrantIsForAWSResource', DECRYPT_READ, 'unknown', PAGES.kmsKeys],
    // Step Functions.
    ['states:StateMachineQualifier', START, 'unknown', PAGES.versionAlias],
  ])('%s on %s is %j (%s)', (key, [action, resource], expected, page) => {
    expect(page).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(valueOf(requestFor(action, resource), key)).toEqual(expected);
  });

  it('kms:EncryptionContext:aws:s3:arn is the object ARN, or the bucket ARN with an S3 Bucket Key (S3 SSE-KMS page)', () => {
    const requests = (bucketKeyEnabled: Map<string, boolean>) =>
      requestsOf(machineWith(DEFINITION, { bucketKeyEnabled }));
    const plain = requests(
      new Map([
        ['input', false],
        ['output', false],
      ]),
    );
    expect(valueOf(requestFor(...DECRYPT_READ, plain), 'kms:EncryptionContext:aws:s3:arn')).toEqual([
      'arn:aws:s3:::input/in/items.csv',
    ]);
    expect(valueOf(requestFor(...DECRYPT_WRITE, plain), 'kms:EncryptionContext:aws:s3:arn')).toEqual([
      'arn:aws:s3:::output/out/dmap-guard-sample',
    ]);
    const bucketKey = requests(new Map([['input', true]]));
    expect(valueOf(requestFor(...DECRYPT_READ, bucketKey), 'kms:EncryptionContext:aws:s3:arn')).toEqual([
      'arn:aws:s3:::input',
    ]);
    expect(valueOf(requestFor(...DECRYPT_WRITE, bucketKey), 'kms:EncryptionContext:aws:s3:arn')).toBe('unknown');
  });

  it("the state machine's own key carries its encryption context; kms:ViaService is unknown there (encryption-at-rest page)", () => {
    const machine = machineWith({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { encryptionKey: KEY });
    const [decrypt] = requestsOf(machine);
    expect(decrypt?.action).toBe('kms:Decrypt');
    const arn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:orders`;
    expect(valueOf(decrypt as AccessRequest, 'kms:EncryptionContext:aws:states:stateMachineArn')).toEqual([arn]);
    expect(valueOf(decrypt as AccessRequest, 'kms:EncryptionContextKeys')).toEqual(['aws:states:stateMachineArn']);
    expect(valueOf(decrypt as AccessRequest, 'kms:ViaService')).toBe('unknown');
    expect(valueOf(decrypt as AccessRequest, 'aws:ViaAWSService')).toEqual(['false']);
    expect(valueOf(decrypt as AccessRequest, 'kms:CallerAccount')).toEqual([ACCOUNT]);
  });

  it("aws:PrincipalTag/* is unknown while the role's tags were not read", () => {
    const untagged: RoleModel = { arn: ROLE, identityPolicies: [], unknown: [] };
    const request = requestFor(...START, requestsOf(machineWith(DEFINITION), untagged));
    expect(valueOf(request, 'aws:PrincipalTag/team')).toBe('unknown');
  });

  it('every catalogue entry cites an AWS documentation page, and resolves for any request', () => {
    const facts: RequestFacts = {
      action: 'states:StartExecution',
      resource: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:orders`,
      machine: machineWith(DEFINITION).context,
      principal: { arn: ROLE },
      serviceContext: {},
      now: NOW,
    };
    for (const entry of CONTEXT_KEYS) {
      expect([entry.key, entry.docs]).toEqual([
        entry.key,
        expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//),
      ]);
      expect(resolveKey(facts, entry.family ? `${entry.key}x` : entry.key)).toBeDefined();
    }
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html
  it.each([
    ['aws:SecureTransport', ['true'], 'boolean'],
    ['aws:EpochTime', ['1'], 'numeric'],
    ['aws:CurrentTime', ['2026-12-01T10:00:00Z'], 'date'],
    ['kms:EncryptionContextKeys', ['aws:s3:arn'], 'stringList'],
    ['s3:prefix', ['a'], 'string'],
    ['aws:PrincipalTag/team', ['data'], 'string'],
    ['custom:Key', ['a', 'b'], 'stringList'],
  ])('sends %s to SimulatePrincipalPolicy as %s', (key, values, type) => {
    expect(contextKeyType(key, values)).toBe(type);
  });
});

// The identity decision combined with the key or bucket policy, rule by rule.
// IAM policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// Cross-account: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// KMS key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
// KMS grants: https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
import type { Decision, Evaluation } from '../../lib/iam';
import {
  awsManagedKeyPolicy,
  combineWithResource,
  grantAllows,
  resourcePolicyFix,
  resourceTarget,
} from '../../lib/checks/resource-access';
import type { KnownResourcePolicy } from '../../lib/model/resource-policies';

const ROLE = 'arn:aws:iam::111122223333:role/MapRole';
const principal = { roleArn: ROLE, account: '111122223333' };
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
const OTHER_KEY = 'arn:aws:kms:us-east-1:444455556666:key/k2';

const identity = (decision: Decision, blockedBy?: Evaluation['blockedBy']): Evaluation => ({
  decision,
  matched: [],
  missingContextKeys: [],
  ...(blockedBy ? { blockedBy } : {}),
});
const kmsRequest = (resource: string) => ({
  action: 'kms:Decrypt',
  resource,
  context: {
    'aws:PrincipalArn': [ROLE],
    'aws:PrincipalAccount': ['111122223333'],
    'kms:CallerAccount': ['111122223333'],
    'kms:ViaService': ['s3.us-east-1.amazonaws.com'],
    'kms:EncryptionContextKeys': ['aws:s3:arn'],
    'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::b/k'],
  },
});
const statement = (principalArn: string, effect = 'Allow') => ({
  Effect: effect,
  Principal: { AWS: principalArn },
  Action: 'kms:*',
  Resource: '*',
});
const keyPolicy = (account: string, ...statements: unknown[]): KnownResourcePolicy => ({
  document: { Version: '2012-10-17', Statement: statements },
  source: 'test',
  account,
  grants: [],
});
const ROOT = (account: string) => statement(`arn:aws:iam::${account}:root`);

describe('KMS: the key policy is the gate', () => {
  it.each<[string, string, Decision, KnownResourcePolicy | undefined, Decision]>([
    // Same account.
    [
      'key policy names neither root nor the role',
      KEY,
      'allowed',
      keyPolicy('111122223333', statement('arn:aws:iam::111122223333:role/Admin')),
      'implicitDeny',
    ],
    [
      'key policy names the role directly, the role grants nothing',
      KEY,
      'implicitDeny',
      keyPolicy('111122223333', statement(ROLE)),
      'allowed',
    ],
    [
      'root statement and an identity allow',
      KEY,
      'allowed',
      keyPolicy('111122223333', ROOT('111122223333')),
      'allowed',
    ],
    [
      'root statement without an identity allow',
      KEY,
      'implicitDeny',
      keyPolicy('111122223333', ROOT('111122223333')),
      'implicitDeny',
    ],
    [
      'identity explicit deny beats a key policy naming the role',
      KEY,
      'explicitDeny',
      keyPolicy('111122223333', statement(ROLE)),
      'explicitDeny',
    ],
    [
      'key policy Deny beats the identity allow',
      KEY,
      'allowed',
      keyPolicy('111122223333', ROOT('111122223333'), statement(ROLE, 'Deny')),
      'explicitDeny',
    ],
    [
      'a permissions boundary that does not allow blocks the key policy grant',
      KEY,
      'implicitDeny',
      keyPolicy('111122223333', statement(ROLE)),
      'implicitDeny',
    ],
    ['key policy not known', KEY, 'allowed', undefined, 'unknown'],
    ['key policy not known, the role denies', KEY, 'explicitDeny', undefined, 'explicitDeny'],
    // The key policy alone can allow the role, so a role without a kms grant is not enough to deny.
    ['key policy not known, the role grants nothing', KEY, 'implicitDeny', undefined, 'unknown'],
    ['other account: key policy not known, the role allows', OTHER_KEY, 'allowed', undefined, 'unknown'],
    // Unlike a bucket, a key's grants were not read either, and a grant for the role allows without an IAM policy.
    [
      'other account: key policy and grants not known, the role grants nothing',
      OTHER_KEY,
      'implicitDeny',
      undefined,
      'unknown',
    ],
    // Other account: both must allow.
    [
      'other account: key policy allows the account, role allows',
      OTHER_KEY,
      'allowed',
      keyPolicy('444455556666', ROOT('111122223333')),
      'allowed',
    ],
    [
      'other account: key policy allows the role, role grants nothing',
      OTHER_KEY,
      'implicitDeny',
      keyPolicy('444455556666', statement(ROLE)),
      'implicitDeny',
    ],
    [
      'other account: key policy only enables its own account',
      OTHER_KEY,
      'allowed',
      keyPolicy('444455556666', ROOT('444455556666')),
      'implicitDeny',
    ],
  ])('%s', (name, key, decision, known, expected) => {
    const blockedBy = name.includes('boundary') ? 'boundary' : undefined;
    const target = resourceTarget(key)!;
    const { evaluation } = combineWithResource(
      identity(decision, blockedBy),
      kmsRequest(key),
      target,
      known,
      principal,
    );
    expect(evaluation.decision).toBe(expected);
  });

  it('a boundary that does not allow blocks a bucket policy naming the role, even when the role grants nothing either', () => {
    const object = 'arn:aws:s3:::b/k';
    const known: KnownResourcePolicy = {
      document: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: '*' }] },
      source: 'test',
    };
    const denied = { ...identity('implicitDeny', 'identity'), allowedByBoundary: false };
    const request = { action: 's3:GetObject', resource: object, context: { 'aws:PrincipalArn': [ROLE] } };
    expect(combineWithResource(denied, request, resourceTarget(object)!, known, principal).evaluation.decision).toBe(
      'implicitDeny',
    );
  });

  it('a grant for the role allows without any key policy statement; grants not read leave it unknown', () => {
    const known = keyPolicy('111122223333', statement('arn:aws:iam::111122223333:role/Admin'));
    const target = resourceTarget(KEY)!;
    const withGrant = { ...known, grants: [{ operations: ['Decrypt'] }] };
    expect(
      combineWithResource(identity('implicitDeny'), kmsRequest(KEY), target, withGrant, principal).evaluation.decision,
    ).toBe('allowed');
    const unread = { document: known.document, source: 'test', account: '111122223333' };
    const result = combineWithResource(identity('allowed'), kmsRequest(KEY), target, unread, principal);
    expect(result.evaluation.decision).toBe('unknown');
    expect(result.access.unknown).toContain('grants were not read');
    const unreadable = { ...unread, grants: { unreadable: 'AccessDeniedException' } };
    expect(
      combineWithResource(identity('allowed'), kmsRequest(KEY), target, unreadable, principal).access.unknown,
    ).toContain('AccessDeniedException');
  });

  it('grant constraints are checked against the encryption context', () => {
    const request = kmsRequest(KEY);
    expect(
      grantAllows({ operations: ['Decrypt'], encryptionContextSubset: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }, request),
    ).toBe(true);
    expect(
      grantAllows(
        { operations: ['Decrypt'], encryptionContextEquals: { 'aws:s3:arn': 'arn:aws:s3:::other' } },
        request,
      ),
    ).toBe(false);
    expect(grantAllows({ operations: ['Encrypt'] }, request)).toBe(false);
    expect(grantAllows({ operations: ['Decrypt'], encryptionContextSubset: { team: 'a' } }, request)).toBe('unknown');
  });

  it('alias/aws/s3 is governed by its fixed key policy: S3 calls from the account are allowed, others not', () => {
    const alias = 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3';
    const known = awsManagedKeyPolicy(alias, 'us-east-1')!;
    const target = resourceTarget(alias)!;
    expect(
      combineWithResource(identity('implicitDeny'), kmsRequest(alias), target, known, principal).evaluation.decision,
    ).toBe('allowed');
    const direct = {
      ...kmsRequest(alias),
      context: { ...kmsRequest(alias).context, 'kms:ViaService': ['states.us-east-1.amazonaws.com'] },
    };
    expect(combineWithResource(identity('allowed'), direct, target, known, principal).evaluation.decision).toBe(
      'implicitDeny',
    );
  });

  it('a key policy gap names the key policy fix', () => {
    const target = resourceTarget(KEY)!;
    const known = keyPolicy('111122223333', statement('arn:aws:iam::111122223333:role/Admin'));
    const request = kmsRequest(KEY);
    const result = combineWithResource(identity('allowed'), request, target, known, principal);
    expect(resourcePolicyFix([{ request, ...result, resource: result.access }])).toEqual({
      fix: 'addToKeyPolicy',
      fixData: { resource: KEY, statement: expect.stringContaining(`AWS: ${ROLE}`) },
    });
  });
});

describe('S3: same account is identity OR bucket policy; other account needs both', () => {
  const get = {
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    context: { 'aws:PrincipalArn': [ROLE], 'aws:SecureTransport': ['true'] },
    missingKeys: 'absent' as const,
  };
  const bucketPolicy = (account: string | undefined, ...statements: unknown[]): KnownResourcePolicy => ({
    document: { Version: '2012-10-17', Statement: statements },
    source: 'test',
    ...(account ? { account } : {}),
  });
  const allowRole = { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  const allowAccount = { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: '*' };
  const denyVpce = {
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
  };
  it.each<[string, string | undefined, Decision, KnownResourcePolicy | undefined, Decision]>([
    ['no bucket policy, identity allows', undefined, 'allowed', { document: null, source: 't' }, 'allowed'],
    [
      'bucket policy names the role, identity grants nothing',
      undefined,
      'implicitDeny',
      bucketPolicy(undefined, allowRole),
      'allowed',
    ],
    [
      'bucket policy names only the account, identity grants nothing',
      undefined,
      'implicitDeny',
      bucketPolicy(undefined, allowAccount),
      'implicitDeny',
    ],
    [
      'VPC-endpoint Deny beats the identity allow',
      undefined,
      'allowed',
      bucketPolicy(undefined, denyVpce),
      'explicitDeny',
    ],
    [
      'other account, no bucket policy',
      '444455556666',
      'allowed',
      { document: null, source: 't', account: '444455556666' },
      'implicitDeny',
    ],
    [
      'other account, bucket policy allows the role and the role allows',
      '444455556666',
      'allowed',
      bucketPolicy('444455556666', allowRole),
      'allowed',
    ],
    [
      'other account, bucket policy allows the account and the role allows',
      '444455556666',
      'allowed',
      bucketPolicy('444455556666', allowAccount),
      'allowed',
    ],
    [
      'other account, bucket policy allows, the role does not',
      '444455556666',
      'implicitDeny',
      bucketPolicy('444455556666', allowRole),
      'implicitDeny',
    ],
    // A bucket policy not known: in the role's account it can deny what the role allows or allow what it does not;
    // only the role's own explicit Deny decides. In another account both must allow.
    ['same account, bucket policy not known, the role allows', undefined, 'allowed', undefined, 'unknown'],
    ['same account, bucket policy not known, the role grants nothing', undefined, 'implicitDeny', undefined, 'unknown'],
    ['same account, bucket policy not known, the role denies', undefined, 'explicitDeny', undefined, 'explicitDeny'],
    [
      'same account, bucket policy not known, a permissions boundary does not allow',
      undefined,
      'implicitDeny',
      undefined,
      'implicitDeny',
    ],
    ['other account, bucket policy not known', '444455556666', 'allowed', undefined, 'unknown'],
    [
      'other account, bucket policy not known, the role grants nothing',
      '444455556666',
      'implicitDeny',
      undefined,
      'implicitDeny',
    ],
    [
      'other account, bucket policy not known, the role denies',
      '444455556666',
      'explicitDeny',
      undefined,
      'explicitDeny',
    ],
    ['bucket policy unreadable', undefined, 'allowed', { unreadable: 'AccessDenied' } as never, 'unknown'],
  ])('%s', (name, owner, decision, known, expected) => {
    const target = resourceTarget(get.resource, owner ? new Map([['b', owner]]) : undefined)!;
    const role = identity(decision, name.includes('boundary') ? 'boundary' : undefined);
    expect(combineWithResource(role, get, target, known, principal).evaluation.decision).toBe(expected);
  });

  it('a bucket policy not known says so, with what the role itself says', () => {
    const target = resourceTarget(get.resource)!;
    const { access } = combineWithResource(identity('implicitDeny'), get, target, undefined, principal);
    expect(access.unknownPolicy).toEqual({ roleAllows: false });
    expect(access.unknown).toBe('the bucket policy of b is not known (pass it with --resource-policies)');
  });

  it('an unreadable bucket policy says why', () => {
    const target = resourceTarget(get.resource)!;
    const { access } = combineWithResource(identity('allowed'), get, target, { unreadable: 'AccessDenied' }, principal);
    expect(access.unknown).toBe('the bucket policy of b cannot be read (AccessDenied)');
  });

  it('buckets whose name is a run-time sample are not judged', () => {
    expect(resourceTarget('arn:aws:s3:::dmap-guard-sample/k')).toBeUndefined();
    expect(resourceTarget('arn:aws:states:us-east-1:111122223333:stateMachine:m')).toBeUndefined();
  });
});

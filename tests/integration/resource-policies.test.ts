// Resource-policy reads against moto_server: kms:GetKeyPolicy, kms:ListGrants, s3:GetBucketPolicy (and
// NoSuchBucketPolicy as "no policy"), and what a check makes of them.
import { CreateGrantCommand, CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AwsBackend } from '../../lib/aws/backend';
import { createClients } from '../../lib/aws/clients';
import { liveResourcePolicies } from '../../lib/checks/resource-side';
import { combineWithResource, resourceTarget } from '../../lib/checks/resource-access';
import { isUnreadable } from '../../lib/model/resource-policies';

const endpoint = process.env.MOTO_ENDPOINT as string;
const clients = createClients({ region: 'us-east-1', endpoint, maxAttempts: 2 });
const backend = new AwsBackend(clients);
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
let account = '123456789012';
let roleArn = '';
let keyArn = '';

beforeAll(async () => {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  const role = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: 'respol-role',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    }),
  );
  roleArn = role.Role?.Arn as string;
  account = roleArn.split(':')[4] ?? account;
  const key = await clients.kms.send(new CreateKeyCommand({ Description: 'respol' }));
  keyArn = key.KeyMetadata?.Arn as string;
  await clients.kms.send(
    new PutKeyPolicyCommand({
      KeyId: key.KeyMetadata?.KeyId,
      PolicyName: 'default',
      Policy: doc({
        Sid: 'Admins',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:role/Admin` },
        Action: 'kms:*',
        Resource: '*',
      }),
    }),
  );
  await clients.kms.send(
    new CreateGrantCommand({ KeyId: key.KeyMetadata?.KeyId, GranteePrincipal: roleArn, Operations: ['Decrypt'] }),
  );
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'respol-with-policy' }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'respol-without-policy' }));
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: 'respol-with-policy',
      Policy: doc({
        Sid: 'VpceOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::respol-with-policy', 'arn:aws:s3:::respol-with-policy/*'],
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      }),
    }),
  );
});

describe('resource-policy reads against moto', () => {
  it('GetKeyPolicy returns the key policy as put', async () => {
    const read = await backend.keyPolicy(keyArn);
    expect(read && !isUnreadable(read) && JSON.parse(String(read.document)).Statement[0].Sid).toBe('Admins');
  });

  it('ListGrants returns the grant for the role', async () => {
    const grants = await backend.keyGrants(keyArn, roleArn);
    expect(grants).toEqual([expect.objectContaining({ operations: ['Decrypt'] })]);
  });

  it('GetBucketPolicy returns the policy; a bucket without one reads as none', async () => {
    const read = await backend.bucketPolicy('respol-with-policy');
    expect(read && !isUnreadable(read) && JSON.parse(String(read.document)).Statement[0].Sid).toBe('VpceOnly');
    expect(await backend.bucketPolicy('respol-without-policy')).toEqual({ document: null });
  });

  it('a missing key or bucket is unreadable with the reason, not an exception', async () => {
    expect(
      await backend.keyPolicy(`arn:aws:kms:us-east-1:${account}:key/00000000-0000-0000-0000-000000000000`),
    ).toEqual({
      unreadable: expect.stringContaining('kms:GetKeyPolicy failed'),
    });
    expect(await backend.bucketPolicy('respol-no-such-bucket')).toEqual({
      unreadable: expect.stringContaining('s3:GetBucketPolicy failed'),
    });
  });

  it('the policies as read decide: the grant allows Decrypt, the bucket policy denies GetObject', async () => {
    const live = liveResourcePolicies(backend);
    const principal = { roleArn, account };
    const allowed = { decision: 'allowed' as const, matched: [], missingContextKeys: [] };
    const keyTarget = resourceTarget(keyArn)!;
    const decrypt = { action: 'kms:Decrypt', resource: keyArn, context: { 'aws:PrincipalArn': [roleArn] } };
    expect(
      combineWithResource(allowed, decrypt, keyTarget, await live(keyTarget, roleArn), principal).evaluation.decision,
    ).toBe('allowed');
    const object = 'arn:aws:s3:::respol-with-policy/items.json';
    const bucketTarget = resourceTarget(object)!;
    const get = {
      action: 's3:GetObject',
      resource: object,
      context: { 'aws:PrincipalArn': [roleArn] },
      missingKeys: 'absent' as const,
    };
    expect(
      combineWithResource(allowed, get, bucketTarget, await live(bucketTarget, roleArn), principal).evaluation.decision,
    ).toBe('explicitDeny');
  });
});

import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, ListGrantsCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Readable } from 'node:stream';
import { AwsBackend, MAX_GRANT_PAGES, MAX_OBJECT_BYTES } from '../../lib/aws/backend';
import { createClients } from '../../lib/aws/clients';
import { checkPayloadUrl } from '../../lib/aws/payload';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const backend = () => new AwsBackend(createClients({ region: 'us-east-1' }));
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });
const doc = (statement: unknown) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
const ROLE = 'arn:aws:iam::123456789012:role/orders-dmap-role';

beforeEach(() => {
  for (const mock of [iam, s3, kms, sfn, cfn]) mock.reset();
});

describe('AwsBackend.readRole', () => {
  it('reads trust, inline policies across pages, managed policies and the boundary', async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'orders-dmap-role',
        Arn: ROLE,
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
        PermissionsBoundary: {
          PermissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        },
      },
    });
    iam
      .on(ListRolePoliciesCommand)
      .resolvesOnce({ PolicyNames: ['a'], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ PolicyNames: ['b'], IsTruncated: false });
    iam.on(GetRolePolicyCommand).callsFake((input: { PolicyName: string }) => ({
      RoleName: 'orders-dmap-role',
      PolicyName: input.PolicyName,
      PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
    }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [
        { PolicyName: 'AWSStepFunctionsFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess' },
      ],
      IsTruncated: false,
    });
    iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({
      Policy: { PolicyName: input.PolicyArn.split('/').pop(), DefaultVersionId: 'v3' },
    }));
    iam.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: {
        Document: doc({ Effect: 'Allow', Action: 'states:*', Resource: '*' }),
        VersionId: 'v3',
        IsDefaultVersion: true,
      },
    });

    const role = await backend().readRole(ROLE);
    expect(role.unknown).toEqual([]);
    expect(role.identityPolicies.map((p) => p.id)).toEqual([
      'orders-dmap-role/a',
      'orders-dmap-role/b',
      'arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess',
    ]);
    expect(role.identityPolicies[2]?.fixedActions).toBe(true);
    expect(role.boundary?.id).toBe('arn:aws:iam::123456789012:policy/boundary');
    expect(role.trust?.document).toEqual(expect.stringContaining('states.amazonaws.com'));
    expect(iam).toHaveReceivedCommandWith(ListRolePoliciesCommand, { RoleName: 'orders-dmap-role', Marker: 'm1' });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, {
      PolicyArn: 'arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess',
      VersionId: 'v3',
    });
  });

  it.each([['NoSuchEntity'], ['AccessDenied'], ['Throttling']])(
    'turns %s into an unknown part of the role, never a silent pass',
    async (name) => {
      iam.on(GetRoleCommand).rejects(awsError(name));
      const role = await backend().readRole(ROLE);
      expect(role.unknown).toEqual([expect.stringContaining(name)]);
    },
  );

  it.each([['AccessDenied'], ['Throttling']])(
    'keeps what it read and marks the role unknown when listing attached policies fails with %s',
    async (name) => {
      iam.on(GetRoleCommand).resolves({
        Role: { RoleName: 'orders-dmap-role', Arn: ROLE, Path: '/', RoleId: 'AROA', CreateDate: new Date() },
      });
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['a'] });
      iam.on(GetRolePolicyCommand).resolves({
        RoleName: 'orders-dmap-role',
        PolicyName: 'a',
        PolicyDocument: doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }),
      });
      iam.on(ListAttachedRolePoliciesCommand).rejects(awsError(name));
      const role = await backend().readRole(ROLE);
      expect(role.identityPolicies.map((p) => p.id)).toEqual(['orders-dmap-role/a']);
      expect(role.unknown).toEqual([expect.stringContaining(name)]);
    },
  );
});

describe('IamSimulator (SimulatePrincipalPolicy)', () => {
  it('batches actions × resources per request context, follows Marker, and reads per-resource decisions', async () => {
    // Calls run concurrently: each answer is chosen by the call's input, not by arrival order.
    iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        {
          EvalActionName: 'states:StartExecution',
          EvalDecision: 'allowed',
          ResourceSpecificResults: [
            {
              EvalResourceName: 'arn:aws:states:us-east-1:123456789012:stateMachine:a',
              EvalResourceDecision: 'allowed',
              MatchedStatements: [{ SourcePolicyId: 'inline' }],
            },
          ],
        },
      ],
      IsTruncated: true,
      Marker: 'next',
    });
    iam.on(SimulatePrincipalPolicyCommand, { Marker: 'next' }).resolves({
      EvaluationResults: [
        {
          EvalActionName: 'states:DescribeExecution',
          EvalDecision: 'explicitDeny',
          EvalResourceName: 'arn:aws:states:us-east-1:123456789012:stateMachine:a',
          MatchedStatements: [{ SourcePolicyId: 'deny-policy' }],
        },
      ],
      IsTruncated: false,
    });
    iam.on(SimulatePrincipalPolicyCommand, { ActionNames: ['s3:ListBucket'] }).resolves({
      EvaluationResults: [
        { EvalActionName: 's3:ListBucket', EvalDecision: 'implicitDeny', MissingContextValues: ['s3:prefix'] },
      ],
    });
    const b = backend();
    const simulator = b.simulator([{ Version: '2012-10-17', Statement: [] }]);
    const results = await simulator.simulate({ arn: ROLE, identityPolicies: [], unknown: [] }, [
      {
        action: 'states:StartExecution',
        resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:a',
        context: { 'aws:PrincipalArn': [ROLE] },
      },
      {
        action: 'states:DescribeExecution',
        resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:a',
        context: { 'aws:PrincipalArn': [ROLE] },
      },
      {
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::b',
        context: { 'aws:PrincipalArn': [ROLE], 's3:prefix': ['in/'] },
      },
    ]);
    expect(results.map((r) => r.decision)).toEqual(['allowed', 'explicitDeny', 'implicitDeny']);
    expect(results[1]?.matched[0]).toMatchObject({ policyId: 'deny-policy', effect: 'Deny' });
    expect(results[2]?.missingContextKeys).toEqual(['s3:prefix']);
    expect(simulator.calls).toBe(3);
    expect(iam).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      PolicySourceArn: ROLE,
      ActionNames: ['states:StartExecution', 'states:DescribeExecution'],
      PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [] })],
      Marker: 'next',
    });
    expect(iam).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      ActionNames: ['s3:ListBucket'],
      ContextEntries: expect.arrayContaining([
        { ContextKeyName: 's3:prefix', ContextKeyValues: ['in/'], ContextKeyType: 'string' },
      ]),
    });
  });

  it('lets an AWS error through (the hook turns it into InternalFailure)', async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    await expect(
      backend()
        .simulator([])
        .simulate({ arn: ROLE, identityPolicies: [], unknown: [] }, [{ action: 'a:b', resource: '*' }]),
    ).rejects.toThrow('Rate exceeded');
  });
});

describe('AwsBackend.bucketKey', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    [
      'a key ARN',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/k1' },
      'arn:aws:kms:us-east-1:123456789012:key/k1',
    ],
    [
      'an alias, resolved with kms:DescribeKey',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/results' },
      'arn:aws:kms:us-east-1:123456789012:key/from-alias',
    ],
    ['SSE-S3', { SSEAlgorithm: 'AES256' }, undefined],
    ['the AWS managed aws/s3 key', { SSEAlgorithm: 'aws:kms' }, undefined],
  ])('reads %s', async (_name, byDefault, expected) => {
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: byDefault as never }] },
    });
    kms
      .on(DescribeKeyCommand, { KeyId: 'alias/results' })
      .resolves({ KeyMetadata: { KeyId: 'from-alias', Arn: 'arn:aws:kms:us-east-1:123456789012:key/from-alias' } });
    expect(await backend().bucketKey('bucket')).toBe(expected);
  });

  it('treats a bucket without encryption configuration as no key, and AccessDenied as unreadable', async () => {
    s3.on(GetBucketEncryptionCommand)
      .rejectsOnce(awsError('ServerSideEncryptionConfigurationNotFoundError'))
      .rejectsOnce(awsError('AccessDenied'));
    expect(await backend().bucketKey('bucket')).toBeUndefined();
    await expect(backend().bucketKey('bucket')).rejects.toThrow(/GetBucketEncryption failed \(AccessDenied/);
  });
});

describe('AwsBackend stacks and state machines', () => {
  it('reads the processed template, and none for a stack that does not exist', async () => {
    cfn
      .on(GetTemplateCommand)
      .resolvesOnce({ TemplateBody: '{"Resources":{}}' })
      .rejectsOnce(awsError('ValidationError', 'Stack does not exist'));
    expect(await backend().stackTemplate('stack')).toBe('{"Resources":{}}');
    expect(cfn).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: 'stack', TemplateStage: 'Processed' });
    expect(await backend().stackTemplate('gone')).toBeUndefined();
  });

  it('pages through stack resources', async () => {
    cfn
      .on(ListStackResourcesCommand)
      .resolvesOnce({
        StackResourceSummaries: [
          {
            LogicalResourceId: 'A',
            PhysicalResourceId: 'a',
            ResourceType: 't',
            LastUpdatedTimestamp: new Date(),
            ResourceStatus: 'CREATE_COMPLETE',
          },
        ],
        NextToken: 't2',
      })
      .resolvesOnce({
        StackResourceSummaries: [
          {
            LogicalResourceId: 'B',
            ResourceType: 't',
            LastUpdatedTimestamp: new Date(),
            ResourceStatus: 'CREATE_IN_PROGRESS',
          },
        ],
      });
    expect(await backend().stackResources('stack')).toEqual({ A: 'a' });
  });

  it('describes a state machine and pages through the list', async () => {
    sfn.on(DescribeStateMachineCommand).resolves({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      name: 'orders',
      definition: '{}',
      roleArn: ROLE,
      type: 'STANDARD',
      creationDate: new Date(),
      loggingConfiguration: { level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
      },
    });
    expect(await backend().describeStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:orders')).toEqual({
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      name: 'orders',
      type: 'STANDARD',
      definition: '{}',
      roleArn: ROLE,
      logging: true,
      tracing: true,
      encryptionKey: 'arn:aws:kms:us-east-1:123456789012:key/k',
    });
    sfn
      .on(ListStateMachinesCommand)
      .resolvesOnce({
        stateMachines: [{ stateMachineArn: 'a', name: 'a', type: 'STANDARD', creationDate: new Date() }],
        nextToken: 'n',
      })
      .resolvesOnce({
        stateMachines: [{ stateMachineArn: 'b', name: 'b', type: 'STANDARD', creationDate: new Date() }],
      });
    expect(await backend().listStateMachines()).toEqual(['a', 'b']);
  });
});

describe('AwsBackend.objectText', () => {
  const MiB = 1024 * 1024;
  /** A body without Content-Length, as S3 sends chunked responses; counts the chunks it has handed out. */
  function chunkedBody(chunks: Buffer[]) {
    const counter = { served: 0 };
    function* serve() {
      for (const chunk of chunks) {
        counter.served++;
        yield chunk;
      }
    }
    return Object.assign(counter, { stream: Readable.from(serve()) });
  }

  it('reads a body without Content-Length chunk by chunk, whole characters across chunk borders', async () => {
    const euro = Buffer.from('€');
    const body = chunkedBody([Buffer.from('{"a":"'), euro.subarray(0, 1), euro.subarray(1), Buffer.from('"}')]);
    s3.on(GetObjectCommand, { Bucket: 'defs', Key: 'm.json' }).resolves({ Body: body.stream as never });
    expect(await backend().objectText('defs', 'm.json')).toBe('{"a":"€"}');
  });

  it('stops reading a body without Content-Length past the cap, naming the object and the cap', async () => {
    const body = chunkedBody(Array.from({ length: 40 }, () => Buffer.alloc(MiB, 0x20)));
    s3.on(GetObjectCommand).resolves({ Body: body.stream as never });
    await expect(backend().objectText('defs', 'big.json', 'v7')).rejects.toThrow(
      `s3://defs/big.json (version v7) has more than ${MAX_OBJECT_BYTES} bytes; at most ${MAX_OBJECT_BYTES} are read`,
    );
    expect(body.served).toBeLessThanOrEqual(MAX_OBJECT_BYTES / MiB + 1);
    expect(body.stream.destroyed).toBe(true);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const body = chunkedBody([Buffer.from('x')]);
    s3.on(GetObjectCommand).resolves({ Body: body.stream as never, ContentLength: MAX_OBJECT_BYTES + 1 });
    await expect(backend().objectText('defs', 'big.json')).rejects.toThrow(
      `s3://defs/big.json is ${MAX_OBJECT_BYTES + 1} bytes; at most ${MAX_OBJECT_BYTES} are read`,
    );
    expect(body.served).toBe(0);
  });
});

describe('hook payload URLs', () => {
  it.each([
    ['https://hook-payloads.s3.us-east-1.amazonaws.com/p.json?X-Amz-Signature=x', true],
    ['https://s3.us-east-1.amazonaws.com/bucket/p.json', true],
    ['https://bucket.s3.amazonaws.com/p.json', true],
    ['https://bucket.s3.cn-north-1.amazonaws.com.cn/p.json', true],
    ['http://hook-payloads.s3.us-east-1.amazonaws.com/p.json', false],
    ['https://169.254.169.254/latest/meta-data', false],
    ['https://s3.amazonaws.com.evil.example/p.json', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → allowed %s', (url, allowed) => {
    if (allowed) expect(() => checkPayloadUrl(url)).not.toThrow();
    else expect(() => checkPayloadUrl(url)).toThrow();
  });
});

describe('AwsBackend resource-policy reads', () => {
  const KEY = 'arn:aws:kms:us-east-1:123456789012:key/k1';
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });

  it('kms:GetKeyPolicy reads the default policy; a failure is unreadable with the reason', async () => {
    kms.on(GetKeyPolicyCommand, { KeyId: KEY, PolicyName: 'default' }).resolves({ Policy: policy });
    expect(await backend().keyPolicy(KEY)).toEqual({ document: policy });
    kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    expect(await backend().keyPolicy(KEY)).toEqual({
      unreadable: 'kms:GetKeyPolicy failed (AccessDeniedException: not authorized)',
    });
  });

  it('kms:ListGrants for the role, across pages, with constraints; throttling is unreadable', async () => {
    kms
      .on(ListGrantsCommand)
      .resolvesOnce({
        Grants: [{ GrantId: 'g1', Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { a: 'b' } } }],
        Truncated: true,
        NextMarker: 'm',
      })
      .resolvesOnce({ Grants: [{ GrantId: 'g2', Operations: ['Encrypt', 'GenerateDataKey'] }], Truncated: false });
    expect(await backend().keyGrants(KEY, ROLE)).toEqual([
      { grantId: 'g1', operations: ['Decrypt'], encryptionContextSubset: { a: 'b' } },
      { grantId: 'g2', operations: ['Encrypt', 'GenerateDataKey'] },
    ]);
    expect(kms).toHaveReceivedNthCommandWith(1, ListGrantsCommand, { KeyId: KEY, GranteePrincipal: ROLE });
    expect(kms).toHaveReceivedNthCommandWith(2, ListGrantsCommand, { KeyId: KEY, GranteePrincipal: ROLE, Marker: 'm' });
    kms.reset();
    kms.on(ListGrantsCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    expect(await backend().keyGrants(KEY, ROLE)).toEqual({
      unreadable: 'kms:ListGrants failed (ThrottlingException: Rate exceeded)',
    });
  });

  it('ListGrants stops after MAX_GRANT_PAGES pages and says so', async () => {
    kms.on(ListGrantsCommand).resolves({ Grants: [], Truncated: true, NextMarker: 'again' });
    expect(await backend().keyGrants(KEY, ROLE)).toEqual({ unreadable: expect.stringContaining('more than') });
    expect(kms).toHaveReceivedCommandTimes(ListGrantsCommand, MAX_GRANT_PAGES);
  });

  it('s3:GetBucketPolicy: the policy, NoSuchBucketPolicy as none, AccessDenied as unreadable', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'with' }).resolves({ Policy: policy });
    s3.on(GetBucketPolicyCommand, { Bucket: 'without' }).rejects(awsError('NoSuchBucketPolicy'));
    s3.on(GetBucketPolicyCommand, { Bucket: 'denied' }).rejects(awsError('AccessDenied', 'Access Denied'));
    expect(await backend().bucketPolicy('with')).toEqual({ document: policy });
    expect(await backend().bucketPolicy('without')).toEqual({ document: null });
    expect(await backend().bucketPolicy('denied')).toEqual({
      unreadable: 's3:GetBucketPolicy failed (AccessDenied: Access Denied)',
    });
  });

  it('an abort is not swallowed', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('AbortError'));
    await expect(backend().bucketPolicy('b')).rejects.toThrow('AbortError');
  });

  // An empty LocationConstraint is us-east-1, `EU` is eu-west-1:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
  it('s3:GetBucketLocation: the Region, us-east-1 for an empty constraint, eu-west-1 for EU', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'virginia' }).resolves({});
    s3.on(GetBucketLocationCommand, { Bucket: 'virginia-empty' }).resolves({ LocationConstraint: '' as never });
    s3.on(GetBucketLocationCommand, { Bucket: 'ireland-legacy' }).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketLocationCommand, { Bucket: 'frankfurt' }).resolves({ LocationConstraint: 'eu-central-1' });
    expect(await backend().bucketRegion('virginia')).toBe('us-east-1');
    expect(await backend().bucketRegion('virginia-empty')).toBe('us-east-1');
    expect(await backend().bucketRegion('ireland-legacy')).toBe('eu-west-1');
    expect(await backend().bucketRegion('frankfurt')).toBe('eu-central-1');
  });

  it('s3:GetBucketLocation: AccessDenied and throttling are unreadable with the reason, a bucket not yet created unknown', async () => {
    s3.on(GetBucketLocationCommand, { Bucket: 'denied' }).rejects(awsError('AccessDenied', 'Access Denied'));
    s3.on(GetBucketLocationCommand, { Bucket: 'busy' }).rejects(
      awsError('SlowDown', 'Please reduce your request rate'),
    );
    s3.on(GetBucketLocationCommand, { Bucket: 'new' }).rejects(awsError('NoSuchBucket', 'The bucket does not exist'));
    expect(await backend().bucketRegion('denied')).toEqual({
      unreadable: 's3:GetBucketLocation failed (AccessDenied: Access Denied)',
    });
    expect(await backend().bucketRegion('busy')).toEqual({
      unreadable: 's3:GetBucketLocation failed (SlowDown: Please reduce your request rate)',
    });
    expect(await backend().bucketRegion('new')).toBeUndefined();
    s3.on(GetBucketLocationCommand).rejects(awsError('AbortError'));
    await expect(backend().bucketRegion('b')).rejects.toThrow('AbortError');
  });
});

// The lib/aws adapters against moto_server: IAM roles and policies, bucket encryption, KMS aliases,
// DescribeStateMachine, GetTemplate, and `audit --evaluator local` end to end.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { AwsBackend } from '../../lib/aws/backend';
import { createClients } from '../../lib/aws/clients';
import { runCli } from '../helpers/cli';
import { UnreadableError } from '../../lib/ports/backend';

const endpoint = process.env.MOTO_ENDPOINT as string;
const clients = createClients({ region: 'us-east-1', endpoint, maxAttempts: 2 });
const backend = new AwsBackend(clients);
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
let account = '123456789012';
let keyArn = '';
let machineArn = '';

beforeAll(async () => {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  const role = await clients.iam.send(
    new CreateRoleCommand({ RoleName: 'orders-dmap-role', AssumeRolePolicyDocument: trust }),
  );
  account = role.Role?.Arn?.split(':')[4] ?? account;
  const managed = await clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'results-writer',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        Resource: 'arn:aws:s3:::orders-results/runs/*',
      }),
    }),
  );
  const boundary = await clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'boundary',
      PolicyDocument: doc({ Effect: 'Allow', Action: ['states:*', 's3:*', 'kms:*'], Resource: '*' }),
    }),
  );
  await clients.iam.send(new AttachRolePolicyCommand({ RoleName: 'orders-dmap-role', PolicyArn: managed.Policy?.Arn }));
  await clients.iam.send(
    new PutRolePermissionsBoundaryCommand({ RoleName: 'orders-dmap-role', PermissionsBoundary: boundary.Policy?.Arn }),
  );
  const key = await clients.kms.send(new CreateKeyCommand({ Description: 'results' }));
  keyArn = key.KeyMetadata?.Arn as string;
  await clients.kms.send(
    new CreateAliasCommand({ AliasName: 'alias/orders-results', TargetKeyId: key.KeyMetadata?.KeyId }),
  );
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'orders-results' }));
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: 'orders-results',
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/orders-results' } },
        ],
      },
    }),
  );
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'orders-input' }));
  await clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: 'orders-dmap-role',
      PolicyName: 'orders',
      PolicyDocument: doc(
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: `arn:aws:states:us-east-1:${account}:stateMachine:orders`,
        },
        {
          Effect: 'Allow',
          Action: ['states:DescribeExecution', 'states:StopExecution'],
          Resource: `arn:aws:states:us-east-1:${account}:execution:orders:*`,
        },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::orders-input',
          Condition: { StringLike: { 's3:prefix': ['orders/'] } },
        },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: keyArn },
      ),
    }),
  );
  const machine = await clients.sfn.send(
    new CreateStateMachineCommand({
      name: 'orders',
      roleArn: role.Role?.Arn,
      definition: JSON.stringify({
        StartAt: 'Map',
        States: {
          Map: {
            Type: 'Map',
            Label: 'Orders',
            ItemReader: {
              Resource: 'arn:aws:states:::s3:listObjectsV2',
              Parameters: { Bucket: 'orders-input', Prefix: 'orders/' },
            },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
            ResultWriter: {
              Resource: 'arn:aws:states:::s3:putObject',
              Parameters: { Bucket: 'orders-results', Prefix: 'runs' },
            },
            End: true,
          },
        },
      }),
    }),
  );
  machineArn = machine.stateMachineArn as string;
  await clients.cloudformation.send(
    new CreateStackCommand({
      StackName: 'orders-dmap',
      TemplateBody: JSON.stringify({
        Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'orders-done' } } },
      }),
    }),
  );
});

describe('lib/aws against moto_server', () => {
  it('reads a role: inline and managed policies (decoded), boundary and trust', async () => {
    const role = await backend.readRole(`arn:aws:iam::${account}:role/orders-dmap-role`);
    expect(role.unknown).toEqual([]);
    expect(role.identityPolicies.map((p) => p.name)).toEqual([
      'inline policy orders of role orders-dmap-role',
      'managed policy results-writer',
    ]);
    expect(role.boundary?.name).toBe('managed policy boundary');
    expect(JSON.stringify(role.trust?.document)).toMatch(/states\.amazonaws\.com/);
  });

  it('reports a role that does not exist as unknown', async () => {
    expect((await backend.readRole(`arn:aws:iam::${account}:role/nope`)).unknown).toEqual([
      expect.stringContaining('NoSuchEntity'),
    ]);
  });

  it('resolves bucket encryption through a KMS alias to the key ARN', async () => {
    expect(await backend.bucketKey('orders-results')).toBe(keyArn);
    expect(await backend.bucketKey('orders-input')).toBeUndefined();
  });

  it('describes and lists state machines', async () => {
    const machine = await backend.describeStateMachine(machineArn);
    expect(machine).toMatchObject({
      name: 'orders',
      type: 'STANDARD',
      roleArn: `arn:aws:iam::${account}:role/orders-dmap-role`,
    });
    expect(await backend.listStateMachines()).toContain(machineArn);
  });

  it("reads a stack's template and its resources", async () => {
    expect(JSON.parse((await backend.stackTemplate('orders-dmap')) as string).Resources.Topic.Type).toBe(
      'AWS::SNS::Topic',
    );
    expect(Object.keys(await backend.stackResources('orders-dmap'))).toEqual(['Topic']);
    expect(await backend.stackTemplate('no-such-stack')).toBeUndefined();
  });

  // GetTemplate's ChangeSetName is not modelled by moto (its get_template reads StackName only): the change set
  // read is tested with aws-sdk-client-mock in tests/aws/unreadable.test.ts.
  it('reads a definition object, and reports a missing key or bucket as unreadable with the location', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'orders-definitions' }));
    await clients.s3.send(
      new PutObjectCommand({ Bucket: 'orders-definitions', Key: 'machine.asl.json', Body: '{"StartAt":"A"}' }),
    );
    expect(await backend.objectText('orders-definitions', 'machine.asl.json')).toBe('{"StartAt":"A"}');
    for (const [bucket, key, name] of [
      ['orders-definitions', 'missing.json', 'NoSuchKey'],
      ['no-such-definitions-bucket', 'machine.asl.json', 'NoSuchBucket'],
    ] as const) {
      const error = await backend.objectText(bucket, key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableError);
      expect(error).toMatchObject({
        subject: `definition s3://${bucket}/${key}`,
        reason: expect.stringContaining(`GetObject failed (${name}`),
      });
    }
  });

  it('audit --evaluator local finds the missing KMS GenerateDataKey and the missing redrive, in the check JSON shape', async () => {
    const { code, stdout, stderr } = await runCli([
      'audit',
      '--endpoint-url',
      endpoint,
      '--region',
      'us-east-1',
      '--evaluator',
      'local',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['findings', 'stateMachines', 'summary']);
    const missing = report.findings
      .filter((f: { rule: string }) => f.rule.startsWith('missing'))
      .map((f: { rule: string; action: string }) => `${f.rule} ${f.action}`);
    expect(missing).toEqual(
      expect.arrayContaining([
        'missing-permission kms:GenerateDataKey',
        'missing-recommended-permission states:RedriveExecution',
      ]),
    );
    expect(report.stateMachines[0]).toMatchObject({ stateMachine: machineArn, verdict: 'fail' });
    expect(code).toBe(1);
  });

  it('audit takes explicit ARNs and text output', async () => {
    const { stdout } = await runCli([
      'audit',
      '--endpoint-url',
      endpoint,
      '--region',
      'us-east-1',
      '--evaluator',
      'local',
      '--state-machine-arn',
      machineArn,
    ]);
    expect(stdout).toMatch(/missing-permission/);
  });
});

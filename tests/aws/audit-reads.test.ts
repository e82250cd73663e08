// audit at account scale (issue 16 item 11): each role, managed policy and bucket is read once per run, however
// many machines share it; machines are read a few at a time. The SDK is mocked at the client.
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
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCli } from '../helpers/cli';

const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const ACCOUNT = '123456789012';
const SHARED_POLICY = `arn:aws:iam::${ACCOUNT}:policy/shared-readers`;
const machineArn = (i: number) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:machine-${i}`;
const roleOf = (i: number) => `arn:aws:iam::${ACCOUNT}:role/role-${i % 2}`;
const bucketOf = (i: number) => `input-${i % 2}`;
const doc = (statement: unknown) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));

function definition(i: number): string {
  return JSON.stringify({
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { Bucket: bucketOf(i), Prefix: `in/${i % 2}/` },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'P',
          States: { P: { Type: 'Pass', End: true } },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: bucketOf(i), Prefix: `out/${i}` },
        },
        End: true,
      },
    },
  });
}

beforeEach(() => {
  iam.reset();
  s3.reset();
  sfn.reset();
  let inFlight = 0;
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: Array.from({ length: 20 }, (_, i) => ({
      stateMachineArn: machineArn(i),
      name: `machine-${i}`,
      type: 'STANDARD',
      creationDate: new Date(),
    })),
  });
  sfn.on(DescribeStateMachineCommand).callsFake(async (input: { stateMachineArn: string }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight--;
    const i = Number(input.stateMachineArn.split('-').pop());
    return {
      stateMachineArn: input.stateMachineArn,
      name: `machine-${i}`,
      type: 'STANDARD',
      definition: definition(i),
      roleArn: roleOf(i),
      creationDate: new Date(),
    };
  });
  iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({
    Role: {
      RoleName: input.RoleName,
      Arn: `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}`,
      Path: '/',
      RoleId: 'AROA',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    },
  }));
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['machines'], IsTruncated: false });
  iam.on(GetRolePolicyCommand).callsFake((input: { RoleName: string; PolicyName: string }) => ({
    RoleName: input.RoleName,
    PolicyName: input.PolicyName,
    PolicyDocument: doc({ Effect: 'Allow', Action: ['states:StartExecution', 's3:ListBucket'], Resource: '*' }),
  }));
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: SHARED_POLICY, PolicyName: 'shared-readers' }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { PolicyName: 'shared-readers', DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({
    PolicyVersion: { Document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
  });
  s3.on(GetBucketEncryptionCommand).rejects(
    Object.assign(new Error('no default encryption'), {
      name: 'ServerSideEncryptionConfigurationNotFoundError',
      $metadata: {},
    }),
  );
});

let maxInFlight = 0;

describe('audit at account scale', () => {
  it('reads 2 roles, 1 shared managed policy and 2 buckets for 20 machines over 2 roles', async () => {
    maxInFlight = 0;
    const { code, stdout, stderr } = await runCli([
      'audit',
      '--evaluator',
      'local',
      '--region',
      'us-east-1',
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout).toContain('machine-19');
    expect(sfn.commandCalls(DescribeStateMachineCommand)).toHaveLength(20);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(2);
    expect(iam.commandCalls(ListRolePoliciesCommand)).toHaveLength(2);
    expect(iam.commandCalls(GetRolePolicyCommand)).toHaveLength(2);
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(2);
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetPolicyVersionCommand)).toHaveLength(1);
    expect(s3.commandCalls(GetBucketEncryptionCommand)).toHaveLength(2);
    // Read side by side, within the bound.
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
  });

  it('simulates a request shared by the machines of a role once per run', async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [] });
    await runCli(['audit', '--region', 'us-east-1', '--format', 'json', '--fail-on', 'never']);
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);
    // Each machine's own resources (its ARN, its executions, its result keys) in one call per machine; the reader's
    // ListBucket with the role's prefix, the same request for every machine of the role, once per role.
    const listBucket = calls.filter((input) => input.ActionNames?.includes('s3:ListBucket'));
    expect(listBucket.map((input) => input.PolicySourceArn).sort()).toEqual([roleOf(0), roleOf(1)]);
    expect(calls).toHaveLength(20 + 2);
  });
});

// Reads the account refuses or cannot serve become UnreadableError naming what, why and the remedy (issue 14
// points 1, 4, 5, 6); bugs and aborts still throw as they are.
import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetBucketEncryptionCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsBackend } from '../../lib/aws/backend';
import { createClients } from '../../lib/aws/clients';
import { deployedModel } from '../../lib/inputs/deployed';
import { UnreadableError } from '../../lib/ports/backend';
import { validate } from '../../lib/lambda/validate';
import { customResourceResponse } from '../../lib/lambda/custom-resource';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const backend = () => new AwsBackend(createClients({ region: 'us-east-1', maxAttempts: 1 }));
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });
const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Encrypted';

beforeEach(() => {
  for (const mock of [s3, sfn, cfn]) mock.reset();
});

async function unreadable(promise: Promise<unknown>): Promise<UnreadableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableError);
  return error as UnreadableError;
}

describe('S3 definitions that cannot be read', () => {
  it('AccessDenied names the location and the grant, with the template parameters', async () => {
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const error = await unreadable(
      backend().objectText('cdk-hnb659fds-assets-123456789012-us-east-1', 'abc.json', 'v2'),
    );
    expect(error.subject).toBe('definition s3://cdk-hnb659fds-assets-123456789012-us-east-1/abc.json (version v2)');
    expect(error.reason).toBe('GetObject failed (AccessDenied: Access Denied)');
    expect(error.remedy).toMatch(
      /s3:GetObject and s3:GetObjectVersion on arn:aws:s3:::cdk-hnb659fds-assets-123456789012-us-east-1\/\*/,
    );
    expect(error.remedy).toMatch(/ToolkitDefinitionBuckets/);
    expect(error.remedy).toMatch(/DefinitionBucketArns/);
  });

  it('NoSuchKey says to check the upload; throttling after retries says to retry', async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(awsError('NoSuchKey', 'The specified key does not exist.'))
      .rejectsOnce(awsError('SlowDown', 'Please reduce your request rate.'));
    expect((await unreadable(backend().objectText('b', 'k'))).remedy).toMatch(/uploaded to s3:\/\/b\/k/);
    const throttled = await unreadable(backend().objectText('b', 'k'));
    expect(throttled.reason).toMatch(/throttled after retries \(SlowDown/);
    expect(throttled.remedy).toMatch(/^retry the deployment/);
  });

  it('a KMS refusal behind GetObject (SSE-KMS bucket) is unreadable too, with kms:Decrypt in the remedy', async () => {
    s3.on(GetObjectCommand).rejects(
      awsError(
        'AccessDenied',
        'User is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext',
      ),
    );
    const error = await unreadable(backend().objectText('b', 'k'));
    expect(error.reason).toMatch(/kms:Decrypt/);
    expect(error.remedy).toMatch(/kms:Decrypt through S3/);
  });

  it('lets a bug through as it is (no $metadata: not a service answer)', async () => {
    s3.on(GetObjectCommand).rejects(new TypeError('boom'));
    await expect(backend().objectText('b', 'k')).rejects.toThrow(TypeError);
  });
});

describe('CloudFormation reads', () => {
  it('reads the change set template with GetTemplate ChangeSetName (API_GetTemplate)', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html: "ChangeSetName — The
    // name or Amazon Resource Name (ARN) of a change set for which AWS CloudFormation returns the associated template."
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: '{"Resources":{}}' });
    const changeSet = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1';
    expect(await backend().changeSetTemplate(STACK, changeSet)).toBe('{"Resources":{}}');
    expect(cfn).toHaveReceivedCommandWith(GetTemplateCommand, {
      StackName: STACK,
      ChangeSetName: changeSet,
      TemplateStage: 'Processed',
    });
    cfn.on(GetTemplateCommand).rejects(awsError('ChangeSetNotFoundException'));
    expect(await backend().changeSetTemplate(STACK, changeSet)).toBeUndefined();
  });

  it('AccessDenied on GetTemplate and ListStackResources is unreadable, naming the permission', async () => {
    cfn.on(GetTemplateCommand).rejects(awsError('AccessDenied'));
    cfn.on(ListStackResourcesCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    expect((await unreadable(backend().stackTemplate(STACK))).remedy).toMatch(/cloudformation:GetTemplate/);
    const throttled = await unreadable(backend().stackResources(STACK));
    expect(throttled.reason).toMatch(/ListStackResources was throttled after retries/);
  });

  it('AccessDenied on GetBucketEncryption is unreadable, naming s3:GetEncryptionConfiguration', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(awsError('AccessDenied'));
    expect((await unreadable(backend().bucketKey('data'))).remedy).toMatch(/s3:GetEncryptionConfiguration/);
  });
});

describe('state machines encrypted with a customer managed key', () => {
  // DescribeStateMachine of a machine with a customer managed key needs kms:Decrypt on it
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html).
  const denied = () =>
    sfn
      .on(DescribeStateMachineCommand)
      .rejects(
        awsError('KmsAccessDeniedException', 'Access to KMS key arn:aws:kms:us-east-1:123456789012:key/k is denied'),
      );

  it('maps KmsAccessDeniedException to kms:Decrypt through Step Functions', async () => {
    denied();
    const error = await unreadable(backend().describeStateMachine(MACHINE));
    expect(error.subject).toBe(`state machine ${MACHINE}`);
    expect(error.reason).toMatch(/DescribeStateMachine failed \(KmsAccessDeniedException/);
    expect(error.remedy).toMatch(/kms:Decrypt on that key through Step Functions \(kms:ViaService states\./);
  });

  it('makes the machine unverifiable in audit, validate and the custom resource, never a pass', async () => {
    denied();
    const machine = await deployedModel(MACHINE, backend());
    expect(machine.unverifiable).toEqual([expect.objectContaining({ subject: `state machine ${MACHINE}` })]);
    expect(machine.definitionUnavailable).toMatch(/kms:Decrypt/);
    const report = await validate({ stateMachineArn: MACHINE }, backend(), {
      region: 'us-east-1',
      account: '123456789012',
      partition: 'aws',
    });
    expect(report.stateMachines.map((m) => m.verdict)).not.toContain('pass');
    const response = await customResourceResponse(
      {
        RequestType: 'Create',
        ResponseURL: 'https://example.com',
        StackId: STACK,
        RequestId: 'r',
        LogicalResourceId: 'Check',
        // UNVERIFIED blocks the stack when the custom resource fails on unverified (it succeeds, saying so, otherwise).
        ResourceProperties: { StateMachineArn: MACHINE, FailOn: 'unverified' },
      },
      backend(),
    );
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/kms:Decrypt/);
  });
});

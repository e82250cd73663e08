import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  GetRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseDocumentText } from '../../lib/cfn/load';
import { handler as customResource } from '../../functions/custom-resource/handler';
import { handler as hook } from '../../functions/hook/handler';
import { handler as validate } from '../../functions/validate/handler';
import { logger } from '../../functions/shared/powertools';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const event = (name: string) => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));
const stackTemplate = JSON.stringify(
  parseDocumentText(readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8'), 'orders-stack.yaml').value,
);
const ROLE = 'arn:aws:iam::123456789012:role/orders-dmap-role';
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });
/** SimulatePrincipalPolicy answers: every action allowed on every resource, except those `denied` picks. */
const simulate = (denied: (action: string) => boolean = () => false) => {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
    EvaluationResults: input.ActionNames.map((action) => {
      const decision = denied(action) ? 'implicitDeny' : 'allowed';
      return {
        EvalActionName: action,
        EvalDecision: decision,
        ResourceSpecificResults: input.ResourceArns.map((r) => ({
          EvalResourceName: r,
          EvalResourceDecision: decision,
          MatchedStatements: decision === 'allowed' ? [{ SourcePolicyId: 'data' }] : [],
        })),
      };
    }),
  }));
};
const allowEverything = () => simulate();
const inlineRole = (statements: unknown[]) => {
  iam
    .on(GetRoleCommand)
    .resolves({ Role: { RoleName: 'orders-dmap-role', Arn: ROLE, Path: '/', RoleId: 'AROA', CreateDate: new Date() } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['data'] });
  iam.on(GetRolePolicyCommand).resolves({
    RoleName: 'orders-dmap-role',
    PolicyName: 'data',
    PolicyDocument: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements })),
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
};

beforeEach(() => {
  for (const mock of [iam, s3, sfn, cfn]) mock.reset();
  jest.restoreAllMocks();
  // The buckets have no bucket policy: the role's own policies decide.
  s3.on(GetBucketPolicyCommand).rejects(
    Object.assign(new Error('none'), { name: 'NoSuchBucketPolicy', $metadata: {} }),
  );
  // ...and are in us-east-1 (an empty LocationConstraint), the state machines' Region.
  s3.on(GetBucketLocationCommand).resolves({});
});

describe('hook handler (functions/hook)', () => {
  beforeEach(() => {
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: stackTemplate });
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
  });

  it('simulates with SimulatePrincipalPolicy, passing the stack’s pending policies, and answers SUCCESS', async () => {
    allowEverything();
    const request = event('hook-statemachine-create.json');
    const response = await hook(request, { getRemainingTimeInMillis: () => 29_000 });
    expectContract(response, request.clientRequestToken);
    expect(response.hookStatus).toBe('SUCCESS');
    const calls = iam.commandCalls(SimulatePrincipalPolicyCommand);
    expect(calls.length).toBeLessThanOrEqual(3);
    const input = calls[0]?.args[0].input;
    expect(input?.PolicySourceArn).toBe(ROLE);
    // CDK-style DistributedMapPolicy refers to the machine and is created after it: it is sent as a policy input.
    expect(input?.PolicyInputList?.some((p) => p.includes('states:StartExecution'))).toBe(true);
  });

  it('answers FAILED/NonCompliant when SimulatePrincipalPolicy denies a required permission', async () => {
    simulate((action) => action === 'states:StartExecution');
    const response = await hook(event('hook-statemachine-create.json'));
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).toMatch(/states:StartExecution/);
    expect(response.annotations?.[0]).toMatchObject({
      annotationName: 'missing-permission',
      status: 'FAILED',
      severityLevel: 'HIGH',
    });
  });

  it.each([
    ['Throttling that outlasts the SDK retries', awsError('Throttling', 'Rate exceeded')],
    [
      'AccessDenied on the simulator',
      awsError('AccessDenied', 'not authorized to perform: iam:SimulatePrincipalPolicy'),
    ],
  ])('answers InternalFailure, never SUCCESS, on %s', async (_name, error) => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(error);
    const request = event('hook-statemachine-create.json');
    const response = await hook(request);
    expectContract(response, request.clientRequestToken);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });

  it('never throws, whatever the event', async () => {
    for (const input of [undefined, null, 42, 'x', [], {}, { requestData: 5 }]) {
      const response = await hook(input);
      expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', clientRequestToken: '' });
    }
  });

  it('emits EMF metrics with a FailureMode dimension and logs no policy documents at info level', async () => {
    simulate((action) => action === 's3:PutObject');
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const logged: string[] = [];
    log.mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const saved = process.env.FAILURE_MODE;
    process.env.FAILURE_MODE = 'WARN';
    logger.setLogLevel('INFO');
    try {
      await hook(event('hook-statemachine-create-noncompliant.json'));
    } finally {
      process.env.FAILURE_MODE = saved;
      logger.setLogLevel('SILENT');
      log.mockRestore();
    }
    const emf = logged
      .map((l) => l.trim())
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    // One batch: NonCompliantResources and UnverifiedResources (0: this verdict is FAIL), as template.yaml alarms on.
    expect(
      emf.some((m) => m.NonCompliantResources === 1 && m.UnverifiedResources === 0 && m.FailureMode === 'WARN'),
    ).toBe(true);
    expect(emf.some((m) => m.Rule === 'missing-permission' && m.Findings >= 1)).toBe(true);
    const info = logged.filter((l) => l.includes('"level":"INFO"'));
    expect(info.join('')).not.toMatch(/"Statement"/);
  });

  it('counts an UNVERIFIED verdict in UnverifiedResources, and answers SUCCESS saying UNVERIFIED', async () => {
    simulate();
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform iam:GetRole'));
    const logged: string[] = [];
    const log = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    let response;
    try {
      const request = event('hook-statemachine-create-noncompliant.json');
      request.requestData.targetModel.resourceProperties.RoleArn = 'arn:aws:iam::123456789012:role/elsewhere';
      response = await hook(request);
    } finally {
      log.mockRestore();
    }
    const emf = logged
      .map((l) => l.trim())
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    expect(response).toMatchObject({ hookStatus: 'SUCCESS', message: expect.stringContaining('UNVERIFIED') });
    expect(emf.some((m) => m.UnverifiedResources === 1 && m.NonCompliantResources === 0)).toBe(true);
  });
});

describe('custom resource handler (functions/custom-resource)', () => {
  const put = () => {
    const fetchMock = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('', { status: 200 }));
    return () => {
      const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
      return { url, init, body: JSON.parse(String(init.body)) };
    };
  };
  const machine = (definition: string) =>
    sfn.on(DescribeStateMachineCommand).resolves({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      name: 'orders',
      definition,
      roleArn: ROLE,
      type: 'STANDARD',
      creationDate: new Date(),
    });

  it('Create fails the resource with the findings as Reason, in a body of at most 4 KB, with a stable PhysicalResourceId', async () => {
    machine(
      event('validate-definition.json').definition
        ? JSON.stringify(event('validate-definition.json').definition)
        : '{}',
    );
    inlineRole([]);
    simulate(() => true);
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
    const sent = put();
    const request = event('custom-resource-create.json');
    await customResource(request, { getRemainingTimeInMillis: () => 60_000 });
    const { url, init, body } = sent();
    expect(url).toBe(request.ResponseURL);
    expect(init.method).toBe('PUT');
    expect(Buffer.byteLength(String(init.body))).toBeLessThanOrEqual(4096);
    expect(body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: 'dmap-guard-PermissionCheck',
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: 'PermissionCheck',
      Data: { Verdict: 'FAIL' },
    });
    expect(body.Reason).toMatch(/missing-permission/);
  });

  it('Create with Definition and RoleArn succeeds when the role grants everything', async () => {
    inlineRole([]);
    allowEverything();
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
    const sent = put();
    await customResource(event('custom-resource-create-definition.json'));
    expect(sent().body).toMatchObject({ Status: 'SUCCESS', Data: { Verdict: 'PASS', Errors: '0' } });
  });

  it.each([
    ['error', 'SUCCESS'],
    ['unverified', 'FAILED'],
  ])('a role dmap-guard cannot read is UNVERIFIED; with FailOn %s the resource answers %s', async (failOn, status) => {
    allowEverything();
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform iam:GetRole'));
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
    const sent = put();
    const request = event('custom-resource-create-definition.json');
    request.ResourceProperties.FailOn = failOn;
    await customResource(request);
    expect(sent().body).toMatchObject({ Status: status, Data: { Verdict: 'UNVERIFIED', Errors: '0' } });
  });

  it('Update keeps the PhysicalResourceId; Delete always succeeds without calling AWS', async () => {
    machine('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
    inlineRole([]);
    allowEverything();
    let sent = put();
    await customResource(event('custom-resource-update.json'));
    expect(sent().body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'dmap-guard-PermissionCheck' });
    jest.restoreAllMocks();
    sfn.reset();
    sent = put();
    await customResource(event('custom-resource-delete.json'));
    expect(sent().body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'dmap-guard-PermissionCheck' });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('still answers (FAILED with the reason) when AWS fails', async () => {
    sfn.on(DescribeStateMachineCommand).rejects(awsError('StateMachineDoesNotExist', 'State Machine Does Not Exist'));
    const sent = put();
    await customResource(event('custom-resource-create.json'));
    expect(sent().body).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringContaining('State Machine Does Not Exist'),
    });
  });
});

describe('validate handler (functions/validate)', () => {
  beforeEach(() => {
    inlineRole([]);
    allowEverything();
    s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError'));
  });

  it.each([['validate-state-machine-arn.json'], ['validate-definition.json'], ['validate-template.json']])(
    '%s returns the check report',
    async (file) => {
      machine();
      const report = await validate(event(file), {
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dmap-guard-validate',
      });
      expect(report).toEqual(
        expect.objectContaining({
          findings: expect.any(Array),
          stateMachines: expect.any(Array),
          summary: expect.objectContaining({ stateMachines: 1 }),
        }),
      );
    },
  );

  it('answers a clear error for an event it cannot read', async () => {
    expect(await validate({})).toEqual({
      error: expect.stringContaining('expected {stateMachineArn}, {definition, roleArn} or {template}'),
    });
  });

  function machine() {
    sfn.on(DescribeStateMachineCommand).resolves({
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      name: 'orders',
      definition: JSON.stringify(event('validate-definition.json').definition),
      roleArn: ROLE,
      type: 'STANDARD',
      creationDate: new Date(),
    });
  }
});

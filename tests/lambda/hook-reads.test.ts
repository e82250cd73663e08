// The hook's reads (issue 14 points 1-5): refused reads are unverifiable for what they touch, definitions are
// S3 locations of state machines only, change sets are read as such, IAM targets are joined by logical id and
// compared with their previous properties, and a STACK payload without a template never passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { customResourceResponse } from '../../lib/lambda/custom-resource';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import type { HookResponse } from '../../lib/lambda/hook/contract';
import type { StateMachineModel } from '../../lib/model/state-machine';
import { EmbeddedBackend, type EmbeddedOptions } from '../../lib/offline/backend';
import { UnreadableError } from '../../lib/ports/backend';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const event = (file: string) => JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };
const denied = (subject: string) =>
  new UnreadableError(subject, 'GetObject failed (AccessDenied: Access Denied)', 'grant s3:GetObject on it');

/** The offline backend, with S3 objects served or refused, and the reads it was asked for. */
class TestBackend extends EmbeddedBackend {
  readonly objects = new Map<string, string>();
  readonly read: string[] = [];
  payload?: string;
  constructor(options: EmbeddedOptions = { stackTemplate }) {
    super(options);
  }
  override async objectText(bucket: string, key: string): Promise<string> {
    this.read.push(`${bucket}/${key}`);
    const text = this.objects.get(`${bucket}/${key}`);
    if (text === undefined) throw denied(`definition s3://${bucket}/${key}`);
    return text;
  }
  override async fetchPayload(): Promise<string> {
    return this.payload ?? super.fetchPayload();
  }
}

async function run(request: unknown, backend: EmbeddedBackend): Promise<HookResponse> {
  const { response } = await handleHookRequest(request, () => backend, config);
  expectContract(response, (request as { clientRequestToken: string }).clientRequestToken);
  return response;
}

/** Every machine the check is given, in order: the models the hook built. */
const mockChecked: StateMachineModel[] = [];
jest.mock('../../lib/checks/analyze', () => {
  const actual = jest.requireActual('../../lib/checks/analyze');
  return {
    ...actual,
    checkStateMachines: (models: StateMachineModel[], options: unknown) => {
      mockChecked.push(...models);
      return actual.checkStateMachines(models, options);
    },
  };
});

function checkedMachines(): { machines: Map<string, StateMachineModel>; all: StateMachineModel[] } {
  const machines = new Map<string, StateMachineModel>();
  for (const m of mockChecked) if (!machines.has(m.id)) machines.set(m.id, m);
  return { machines, all: mockChecked };
}

beforeEach(() => {
  mockChecked.length = 0;
});

describe('S3 definitions (point 1)', () => {
  it('an unreadable definition is unverifiable for that machine, named with reason and remedy, never a pass', async () => {
    const response = await run(event('hook-statemachine-s3-definition-unreadable.json'), new TestBackend());
    expect(response.errorCode).not.toBe('InternalFailure');
    // UNVERIFIED, never PASS: SUCCESS saying so under FAIL_ON=error, FAILED under FAIL_ON=unverified.
    expect(response.message).toMatch(/is UNVERIFIED/);
    expect(response.message).toMatch(
      /GetObject failed \(AccessDenied: Access Denied\)\. Fix: grant s3:GetObject on it/,
    );
    const strict = await handleHookRequest(
      event('hook-statemachine-s3-definition-unreadable.json'),
      () => new TestBackend(),
      { ...config, failOn: 'unverified' },
    );
    expect([strict.response.hookStatus, strict.response.errorCode]).toEqual(['FAILED', 'NonCompliant']);
    const machine = checkedMachines().machines.get('OrdersMachine');
    expect(machine?.unverifiable).toEqual([
      {
        subject:
          'definition s3://aws-sam-cli-managed-default-samclisourcebucket-1a2b3c4d5e6f/orders-dmap/5f2c0e8e1b7a4d3c9e6f.asl.json',
        reason: 'GetObject failed (AccessDenied: Access Denied)',
        remedy: 'grant s3:GetObject on it',
      },
    ]);
  });

  it('a readable S3 definition is checked like an inline one', async () => {
    const request = event('hook-statemachine-s3-definition-unreadable.json');
    const inline = event('hook-statemachine-create.json').requestData.targetModel.resourceProperties.DefinitionString;
    const backend = new TestBackend();
    backend.objects.set(
      'aws-sam-cli-managed-default-samclisourcebucket-1a2b3c4d5e6f/orders-dmap/5f2c0e8e1b7a4d3c9e6f.asl.json',
      inline,
    );
    const response = await run(request, backend);
    expect(response.hookStatus).toBe('SUCCESS');
  });

  it('in a STACK payload, an unreadable definition touches its machine only', async () => {
    const backend = new TestBackend();
    backend.payload = JSON.stringify({
      template: JSON.stringify({
        Resources: {
          FromS3: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              RoleArn: 'arn:aws:iam::123456789012:role/r',
              DefinitionS3Location: { Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1', Key: 'a.json' },
            },
          },
        },
      }),
    });
    const response = await run(event('hook-stack-create.json'), backend);
    expect(response.errorCode).not.toBe('InternalFailure');
    expect(response.message).toMatch(
      /Cannot decide definition s3:\/\/cdk-hnb659fds-assets-123456789012-us-east-1\/a\.json: GetObject failed/,
    );
    expect(checkedMachines().machines.get('FromS3')?.unverifiable).toHaveLength(1);
  });
});

describe('definition locations (point 2)', () => {
  const stackWith = (resources: Record<string, unknown>) =>
    JSON.stringify({ template: JSON.stringify({ Resources: resources }) });

  it("reads only state machines' locations, not AppSync's or other resources' DefinitionS3Location", async () => {
    const backend = new TestBackend();
    backend.payload = stackWith({
      Api: {
        Type: 'AWS::AppSync::GraphQLSchema',
        Properties: { ApiId: 'a', DefinitionS3Location: 's3://schemas/schema.graphql' },
      },
      Resolver: {
        Type: 'AWS::AppSync::Resolver',
        Properties: { DefinitionS3Location: { Bucket: 'resolvers', Key: 'r.js' } },
      },
    });
    const response = await run(event('hook-stack-create.json'), backend);
    expect(backend.read).toEqual([]);
    expect(response.message).toMatch(/defines no state machine/);
  });

  it.each(['/dev/zero', '/etc/passwd', '../../etc/passwd', 'definition.asl.json'])(
    'never reads a local path (%s) in a STACK payload',
    async (path) => {
      const backend = new TestBackend();
      backend.payload = stackWith({
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', DefinitionS3Location: path },
        },
      });
      const response = await run(event('hook-stack-create.json'), backend);
      expect(response.message).toContain(`DefinitionS3Location "${path}" is not an s3:// URI`);
      expect(response.message).not.toMatch(/root:/);
      expect(response.hookStatus).toBe('FAILED');
    },
  );

  it.each(['/dev/zero', '/etc/passwd'])('never reads a local path (%s) from a state machine event', async (path) => {
    const request = event('hook-statemachine-s3-definition-unreadable.json');
    request.requestData.targetModel.resourceProperties.DefinitionS3Location = path;
    const backend = new TestBackend();
    const response = await run(request, backend);
    expect(response.message).toContain(`DefinitionS3Location "${path}" is not an s3:// URI`);
    expect(response.message).not.toMatch(/root:/);
    expect(backend.read).toEqual([]);
  });

  it('reads an s3:// URI string from the bucket it names', async () => {
    const request = event('hook-statemachine-s3-definition-unreadable.json');
    request.requestData.targetModel.resourceProperties.DefinitionS3Location = 's3://defs/orders/machine.json';
    const backend = new TestBackend();
    await run(request, backend);
    expect(backend.read).toEqual(['defs/orders/machine.json']);
  });
});

describe('pending policies join by logical id (point 3)', () => {
  it("uses the template's role and its later policies for a role CloudFormation named", async () => {
    const cdk = readFileSync(join(EVENTS, 'fixtures', 'cdk-stack.json'), 'utf8');
    const response = await run(
      event('hook-statemachine-create-cdk-generated-role-name.json'),
      new TestBackend({ stackTemplate: cdk }),
    );
    expect(response.hookStatus).toBe('SUCCESS');
    const role = checkedMachines().machines.get('OrdersMachine4F7C5E2B')?.role;
    expect(role?.arn).toBe('arn:aws:iam::123456789012:role/OrdersCdkStack-OrdersMachineRoleE1B2C3D4-Q1W2E3R4T5Y6');
    expect(role?.identityPolicies.map((p) => p.id)).toEqual([
      'OrdersMachineRoleDefaultPolicy5A6B7C8D',
      'OrdersMachineDistributedMapPolicy9E8F7A6B',
    ]);
  });

  it('reads the role from IAM when the template names its role and the event names another', async () => {
    const request = event('hook-statemachine-create-cdk-generated-role-name.json');
    request.requestData.targetModel.resourceProperties.RoleArn = 'arn:aws:iam::123456789012:role/someone-else';
    const cdk = JSON.parse(readFileSync(join(EVENTS, 'fixtures', 'cdk-stack.json'), 'utf8'));
    cdk.Resources.OrdersMachineRoleE1B2C3D4.Properties.RoleName = 'orders-role';
    const response = await run(request, new TestBackend({ stackTemplate: JSON.stringify(cdk) }));
    expect(response.message).toMatch(/role\/someone-else cannot be read/);
  });
});

describe('UPDATE, change sets and IAM targets (point 4)', () => {
  it("reads the change set's template when changeSetId is present", async () => {
    const request = event('hook-change-set-role-update-narrows-results.json');
    const backend = new TestBackend({ stackTemplate: 'Resources: {}', changeSetTemplate: stackTemplate });
    const asked: string[] = [];
    const original = backend.changeSetTemplate.bind(backend);
    backend.changeSetTemplate = (stackId: string, changeSetId: string) => {
      asked.push(`${stackId} ${changeSetId}`);
      return original(stackId, changeSetId);
    };
    const response = await run(request, backend);
    // Read once for both the proposed and the previous properties.
    expect(asked).toEqual([`${request.stackId} ${request.changeSetId}`]);
    expect(response.message).toMatch(/used by OrdersMachine/);
    expect(response.hookStatus).toBe('FAILED');
  });

  it('a tag-only update of a non-compliant machine passes, with the findings as warnings', async () => {
    const response = await run(event('hook-role-tag-only-update-noncompliant.json'), new TestBackend());
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.annotations?.map((a) => [a.annotationName, a.status])).toEqual([
      ['missing-permission', 'PASSED'],
      ['missing-recommended-permission', 'PASSED'],
    ]);
    expect(response.message).toMatch(/already so before this change/);
  });

  it('the same role without previous properties fails (a CREATE has nothing to compare with)', async () => {
    const request = event('hook-role-tag-only-update-noncompliant.json');
    request.requestData.targetModel.previousResourceProperties = {};
    expect((await run(request, new TestBackend())).hookStatus).toBe('FAILED');
  });

  it("finds a managed policy attached through a role's ManagedPolicyArns", async () => {
    const template = stackTemplate
      .replace(
        '      Policies:\n        - PolicyName: data',
        '      ManagedPolicyArns: [!Ref ResultsAccess]\n      Policies:\n        - PolicyName: data',
      )
      .concat(
        [
          '  ResultsAccess:',
          '    Type: AWS::IAM::ManagedPolicy',
          '    Properties:',
          '      PolicyDocument:',
          "        Version: '2012-10-17'",
          '        Statement:',
          '          - { Effect: Allow, Action: sqs:SendMessage, Resource: "*" }',
          '',
        ].join('\n'),
      );
    const request = event('hook-policy-update-breaks-map.json');
    request.requestData.targetType = request.requestData.targetName = 'AWS::IAM::ManagedPolicy';
    request.requestData.targetLogicalId = 'ResultsAccess';
    request.requestData.targetModel.resourceProperties = {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }],
      },
    };
    const response = await run(request, new TestBackend({ stackTemplate: template }));
    expect(response.message).toMatch(/ResultsAccess \(used by OrdersMachine\)/);
    expect(response.message).toMatch(/s3:PutObject/);
    expect(response.hookStatus).toBe('FAILED');
  });

  it('re-checks the machine with the new trust policy when a role update changes it', async () => {
    await run(event('hook-role-trust-removes-step-functions.json'), new TestBackend());
    const trusts = checkedMachines().all.map((m) => JSON.stringify(m.role?.trust?.document));
    // The proposed properties first, then the previous ones to compare with.
    expect(trusts[0]).toContain('lambda.amazonaws.com');
    expect(trusts[0]).not.toContain('states.amazonaws.com');
    expect(trusts[1]).toContain('states.amazonaws.com');
  });
});

describe('what reaches the stack (point 5)', () => {
  it.each([
    ['no payload URL', undefined, /no requestData\.payload URL/],
    ['no template', JSON.stringify({ previousTemplate: 'Resources: {}' }), /payload has no "template"/],
    ['an empty template', JSON.stringify({ template: '  ' }), /payload has no "template"/],
    ['a payload that is not JSON', '<Error>AccessDenied</Error>', /payload is not JSON/],
  ])('a STACK request with %s is InternalFailure, never SUCCESS', async (_label, payload, message) => {
    const request = event('hook-stack-create.json');
    const backend = new TestBackend();
    if (payload === undefined) delete request.requestData.payload;
    else backend.payload = payload;
    const response = await run(request, backend);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(message);
  });

  it('a CHANGE_SET payload without a template is InternalFailure too', async () => {
    const backend = new TestBackend();
    backend.payload = JSON.stringify({ changedResources: [] });
    const response = await run(event('hook-change-set-create.json'), backend);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });

  it('AccessDenied on the stack template is unverifiable for the machine, not InternalFailure', async () => {
    const backend = new TestBackend();
    backend.stackTemplate = async () => {
      throw new UnreadableError('template of stack orders-dmap', 'GetTemplate failed (AccessDenied)', 'grant it');
    };
    const response = await run(event('hook-statemachine-create.json'), backend);
    expect(response.errorCode).not.toBe('InternalFailure');
    // Not a silent pass: the policies the stack would attach later are unknown, and said so.
    expect(response.message).toMatch(/\[warning\] unverifiable .*GetTemplate failed \(AccessDenied\)/);
    const machine = checkedMachines().machines.get('OrdersMachine');
    expect(machine?.unverifiable.map((u) => u.subject)).toEqual(['template of stack orders-dmap']);
    expect(machine?.role?.unknown.join()).toMatch(/GetTemplate failed/);
  });

  it('a bug in a read is still InternalFailure', async () => {
    const backend = new TestBackend();
    backend.stackTemplate = async () => {
      throw new TypeError('a bug');
    };
    const response = await run(event('hook-statemachine-create.json'), backend);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(/TypeError: a bug/);
  });
});

describe('the custom resource reads no definition location', () => {
  it.each(['/dev/zero', '/etc/passwd'])(
    'fails clearly for DefinitionS3Location %s, without reading it',
    async (path) => {
      const response = await customResourceResponse(
        {
          RequestType: 'Create',
          ResponseURL: 'https://example.com',
          StackId: event('hook-stack-create.json').stackId,
          RequestId: 'r',
          LogicalResourceId: 'Check',
          ResourceProperties: { DefinitionS3Location: path, RoleArn: 'arn:aws:iam::123456789012:role/r' },
        },
        new TestBackend(),
      );
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toBe('Properties need StateMachineArn, or Definition (or DefinitionString) with RoleArn');
    },
  );
});

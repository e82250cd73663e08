// Every hook event in events/ through the real handler core, offline: the verdict each one must get, and
// a response that satisfies the Lambda Hook contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedBackend } from '../../lib/offline/backend';
import type { HookResponse } from '../../lib/lambda/hook/contract';
import { expectContract } from '../helpers/hook';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { RULES } from '../../lib/checks/registry';
import { runCli } from '../helpers/cli';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
const cdkStackTemplate = readFileSync(join(EVENTS, 'fixtures', 'cdk-stack.json'), 'utf8');
const templateFor = (event: string) => (event.includes('-cdk-') ? cdkStackTemplate : stackTemplate);
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };

const EXPECTED: Record<string, [HookResponse['hookStatus'], HookResponse['errorCode'] | undefined, RegExp]> = {
  'hook-statemachine-create.json': ['SUCCESS', undefined, /state machine OrdersMachine passed/],
  'hook-statemachine-create-noncompliant.json': [
    'FAILED',
    'NonCompliant',
    /s3:PutObject on arn:aws:s3:::orders-results-123456789012\/exports\/\*/,
  ],
  'hook-statemachine-update-string-scalars.json': ['SUCCESS', undefined, /passed/],
  'hook-policy-update-breaks-map.json': [
    'FAILED',
    'NonCompliant',
    /states:StartExecution on arn:aws:states:us-east-1:123456789012:stateMachine:OrdersMachine-/,
  ],
  'hook-role-update-drops-kms.json': ['FAILED', 'NonCompliant', /kms:GenerateDataKey/],
  'hook-stack-create.json': ['SUCCESS', undefined, /stack orders-dmap passed/],
  'hook-change-set-create.json': ['SUCCESS', undefined, /change set of orders-dmap passed/],
  'hook-statemachine-delete.json': ['SUCCESS', undefined, /deletions need no permission check/],
  // Issue 14: the change set's template, and only what the change makes worse fails.
  'hook-change-set-role-update-narrows-results.json': [
    'FAILED',
    'NonCompliant',
    /\[error\] missing-permission \(OrdersMachine\): s3:PutObject on arn:aws:s3:::orders-results-123456789012\/runs\/\*/,
  ],
  'hook-role-tag-only-update-noncompliant.json': [
    'SUCCESS',
    undefined,
    /passed with 2 warnings\.\n\[warning\] missing-permission \(OrdersMachine\): kms:GenerateDataKey.*already so before this change/,
  ],
  // The machine is re-checked with the new trust policy (over-broad-grant sees lambda.amazonaws.com in it);
  // failing the removal of states.amazonaws.com is the untrusted-execution-role rule's, once it is registered.
  'hook-role-trust-removes-step-functions.json': RULES.some((r) => r.id === 'untrusted-execution-role')
    ? ['FAILED', 'NonCompliant', /untrusted-execution-role/]
    : ['SUCCESS', undefined, /trust policy of role OrdersRole lets Service lambda\.amazonaws\.com/],
  // Unreadable (offline, S3 is not read): UNVERIFIED for the machine with the location, never a pass (FAIL_ON=error
  // lets it through saying so; FAIL_ON=unverified blocks it).
  'hook-statemachine-s3-definition-unreadable.json': [
    'SUCCESS',
    undefined,
    /is UNVERIFIED[\s\S]*definition s3:\/\/aws-sam-cli-managed-default-samclisourcebucket-1a2b3c4d5e6f\/orders-dmap\/5f2c0e8e1b7a4d3c9e6f\.asl\.json/,
  ],
  // The role CloudFormation named is the template's OrdersMachineRoleE1B2C3D4: its DistributedMapPolicy counts.
  'hook-statemachine-create-cdk-generated-role-name.json': [
    'SUCCESS',
    undefined,
    /^dmap-guard: state machine OrdersMachine4F7C5E2B passed with 1 warning\.\n\[warning\] over-broad-grant/,
  ],
  'hook-other-resource.json': ['SUCCESS', undefined, /not a target/],
  'hook-malformed.json': ['FAILED', 'InternalFailure', /not a CloudFormation Lambda Hook request/],
};

describe('hook events', () => {
  const files = readdirSync(EVENTS).filter((f) => f.startsWith('hook-'));

  it('every hook event has an expectation', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', async (file, [status, errorCode, message]) => {
    const event = JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));
    const { response } = await handleHookRequest(
      event,
      () => new EmbeddedBackend({ stackTemplate: templateFor(file) }),
      config,
    );
    expectContract(response, event.clientRequestToken);
    expect(response.hookStatus).toBe(status);
    expect(response.errorCode).toBe(errorCode);
    expect(response.message).toMatch(message);
  });

  it('lets warnings through but lists them, and fails on them with FAIL_ON=warning', async () => {
    const event = JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create.json'), 'utf8'));
    const warned = {
      ...event,
      requestData: {
        ...event.requestData,
        targetModel: {
          resourceProperties: {
            ...event.requestData.targetModel.resourceProperties,
            DefinitionString: event.requestData.targetModel.resourceProperties.DefinitionString.replace(
              '"Label": "Orders"',
              '"Label": "Other"',
            ).replace('"Label":"Orders"', '"Label":"Other"'),
          },
        },
      },
    };
    const passed = (await handleHookRequest(warned, () => new EmbeddedBackend({ stackTemplate }), config)).response;
    expect(passed.hookStatus).toBe('SUCCESS');
    expect(passed.message).toMatch(/\[warning\] missing-recommended-permission/);
    const failed = (
      await handleHookRequest(warned, () => new EmbeddedBackend({ stackTemplate }), { ...config, failOn: 'warning' })
    ).response;
    expect(failed).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
  });

  it('answers SUCCESS with the reason when ON_ERROR=pass and the check cannot run', async () => {
    const event = JSON.parse(readFileSync(join(EVENTS, 'hook-stack-create.json'), 'utf8'));
    const { response } = await handleHookRequest(event, () => new EmbeddedBackend({}), { ...config, onError: 'pass' });
    expectContract(response, event.clientRequestToken);
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/ON_ERROR=pass/);
  });

  it('answers IN_PROGRESS with callbackContext when the budget runs out, then InternalFailure on the third invocation', async () => {
    const event = JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create.json'), 'utf8'));
    const stalled = new EmbeddedBackend({ stackTemplate });
    stalled.stackTemplate = () => new Promise(() => undefined);
    const first = (await handleHookRequest(event, () => stalled, { ...config, budgetMs: 50 })).response;
    expectContract(first, event.clientRequestToken);
    expect(first).toMatchObject({
      hookStatus: 'IN_PROGRESS',
      callbackContext: { v: 1, token: event.clientRequestToken, done: [] },
      callbackDelaySeconds: 1,
    });
    const third = (
      await handleHookRequest(
        { ...event, requestContext: { invocation: 3, callbackContext: first.callbackContext } },
        () => stalled,
        {
          ...config,
          budgetMs: 50,
        },
      )
    ).response;
    expect(third).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });

  it('`dmap-guard hook --stack-template` replays the CDK case with a role CloudFormation named: SUCCESS', async () => {
    const { code, stdout } = await runCli([
      'hook',
      join(EVENTS, 'hook-statemachine-create-cdk-generated-role-name.json'),
      '--stack-template',
      join(EVENTS, 'fixtures', 'cdk-stack.json'),
    ]);
    expect(code).toBe(0);
    const response = JSON.parse(stdout) as HookResponse;
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).not.toMatch(/unverifiable|missing-permission/);
  });

  it('fails the CDK case without the DistributedMapPolicy: the pending policy is what grants StartExecution', async () => {
    const event = JSON.parse(
      readFileSync(join(EVENTS, 'hook-statemachine-create-cdk-generated-role-name.json'), 'utf8'),
    );
    const template = JSON.parse(cdkStackTemplate);
    delete template.Resources.OrdersMachineDistributedMapPolicy9E8F7A6B;
    const { response } = await handleHookRequest(
      event,
      () => new EmbeddedBackend({ stackTemplate: JSON.stringify(template) }),
      config,
    );
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).toMatch(/states:StartExecution/);
  });
});

// Every hook event in events/ through the real handler core, offline: the verdict each one must get, and
// a response that satisfies the Lambda Hook contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedBackend } from '../../lib/offline/backend';
import type { HookResponse } from '../../lib/lambda/hook/contract';
import { expectContract } from '../helpers/hook';
import { handleHookRequest } from '../../lib/lambda/hook/handle';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
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
    const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate }), config);
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
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callbackContext: { done: {} }, callbackDelaySeconds: 1 });
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
});

// Fault injection against the real SDK: IAM (SimulatePrincipalPolicy) on a loopback stub that throttles,
// fails, stalls, paginates and returns malformed XML. The hook answers correctly or InternalFailure within
// its budget, and never a SUCCESS that was not proven.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HookConfig } from '../../lib/lambda/hook/config';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { expectContract } from '../helpers/hook';
import { startIamStub, StubbedIamBackend, stubClient, type Fault, type IamStub } from '../helpers/iam-stub';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
const event = JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create.json'), 'utf8'));
// Roomy: SDK backoff on throttling must not be mistaken for a stall on a loaded machine (the stall test sets its own).
const config: HookConfig = { failOn: 'error', onError: 'fail', budgetMs: 15_000 };
let stub: IamStub;

beforeAll(async () => {
  stub = await startIamStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests = 0;
  stub.attempts.clear();
  stub.latencyMs = 0;
});

async function run(fault: Fault, overrides: Partial<HookConfig> = {}, invocation = 1) {
  stub.fault = fault;
  const client = stubClient(stub);
  const request = { ...event, requestContext: { invocation, callbackContext: null } };
  const { response } = await handleHookRequest(
    request,
    (signal) => new StubbedIamBackend(client, { stackTemplate }, signal),
    { ...config, ...overrides },
  );
  expectContract(response, event.clientRequestToken);
  return response;
}

describe('hook against a faulty IAM endpoint (real SDK)', () => {
  it('answers SUCCESS when IAM allows everything', async () => {
    expect((await run('none')).hookStatus).toBe('SUCCESS');
  });

  it('answers NonCompliant when IAM denies StartExecution', async () => {
    expect(await run('deny-start')).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
  });

  it('follows IsTruncated/Marker pages', async () => {
    expect((await run('paginate')).hookStatus).toBe('SUCCESS');
    expect(stub.requests).toBeGreaterThan(1);
  });

  it('rides out throttling with the SDK retries', async () => {
    expect((await run('throttle-twice')).hookStatus).toBe('SUCCESS');
    expect(stub.requests).toBeGreaterThan(2);
  });

  it('answers InternalFailure when IAM keeps failing with 5xx', async () => {
    expect(await run('server-error')).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    // The SDK retried up to maxAttempts before giving up (calls running beside it were cancelled then).
    expect(Math.max(...stub.attempts.values())).toBe(3);
  });

  it('answers InternalFailure on malformed XML', async () => {
    expect(await run('malformed')).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });

  it('answers IN_PROGRESS when IAM stalls past the budget, and InternalFailure on the last invocation', async () => {
    const first = await run('stall', { budgetMs: 800 });
    expect(first).toMatchObject({ hookStatus: 'IN_PROGRESS', callbackDelaySeconds: 1 });
    const last = await run('stall', { budgetMs: 800 }, 3);
    expect(last).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });

  it('with ON_ERROR=pass lets a failing check through, saying so', async () => {
    const response = await run('server-error', { onError: 'pass' });
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/ON_ERROR=pass/);
  });
});

// The hook's time budget holds for CPU-bound work: a machine too large for one invocation answers IN_PROGRESS
// (progress kept), and on the last invocation an InternalFailure naming the machine and its size. Statuses are
// asserted, never times (speed figures are in npm run bench).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStateMachines } from '../../lib/checks/analyze';
import { deadlineAfter, DeadlineExceeded } from '../../lib/checks/deadline';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { MAX_INVOCATIONS } from '../../lib/lambda/hook/contract';
import { stateMachineModel } from '../../lib/model/state-machine';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { lambdaTasksDefinition, lambdaTasksTemplate } from '../../bench/generate';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackEvent = JSON.parse(readFileSync(join(EVENTS, 'hook-stack-create.json'), 'utf8'));
const large = lambdaTasksTemplate(8_000);
const config = (budgetMs: number) => ({ failOn: 'error' as const, onError: 'fail' as const, budgetMs });
const invoke = (template: string, budgetMs: number, invocation: number, callbackContext: unknown = null) =>
  handleHookRequest(
    { ...stackEvent, requestContext: { invocation, callbackContext } },
    () => new EmbeddedBackend({ stackTemplate: template }),
    config(budgetMs),
  );

describe('the hook budget holds for CPU-bound work', () => {
  it('answers IN_PROGRESS for 8,000 Lambda tasks, keeping progress, then InternalFailure naming what was too large', async () => {
    const first = await invoke(large, 200, 1);
    expectContract(first.response, stackEvent.clientRequestToken);
    expect(first.response.hookStatus).toBe('IN_PROGRESS');
    expect(first.response.callbackContext).toBeDefined();
    expect(first.response.message).toMatch(/state machine Machine: 8,000 task states/);

    const last = await invoke(large, 200, MAX_INVOCATIONS, first.response.callbackContext);
    expectContract(last.response, stackEvent.clientRequestToken);
    expect(last.response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(last.response.message).toMatch(
      /state machine Machine: 8,000 task states, (needs not derived yet|[\d,]+ needs) did not fit in 3 invocations of 0\.2 s/,
    );
  });

  it('ON_ERROR=pass lets the too-large check through on the last invocation, saying why', async () => {
    const { response } = await handleHookRequest(
      { ...stackEvent, requestContext: { invocation: MAX_INVOCATIONS, callbackContext: null } },
      () => new EmbeddedBackend({ stackTemplate: large }),
      { ...config(200), onError: 'pass' },
    );
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/ON_ERROR=pass.*did not fit in 3 invocations/);
  });

  it('answers the verdict when the work fits', async () => {
    const { response } = await invoke(lambdaTasksTemplate(5), 20_000, 1);
    expect(response.hookStatus).toBe('SUCCESS');
  });
});

describe('checkStateMachines under a deadline', () => {
  const machine = (tasks: number) =>
    stateMachineModel({
      id: 'Wide',
      name: 'wide',
      partition: 'aws',
      region: 'us-east-1',
      account: '123456789012',
      type: 'STANDARD',
      bucketKeys: {},
      logging: false,
      tracing: false,
      definition: lambdaTasksDefinition(tasks),
      source: 'test',
      suppressions: [],
      role: {
        arn: 'arn:aws:iam::123456789012:role/wide',
        identityPolicies: [
          {
            id: 'tasks',
            name: 'tasks',
            document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }],
            },
          },
        ],
        unknown: [],
      },
    });

  it('stops with DeadlineExceeded naming the machine and its size once the deadline has passed', async () => {
    const check = checkStateMachines([machine(20)], {
      simulator: new EmbeddedSimulator(),
      deadline: deadlineAfter(-1),
    });
    await expect(check).rejects.toThrow(DeadlineExceeded);
    await expect(check).rejects.toMatchObject({ work: 'state machine Wide: 20 task states, needs not derived yet' });
  });

  it('stops when the abort signal fires, even with time left', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      checkStateMachines([machine(20)], {
        simulator: new EmbeddedSimulator(),
        deadline: deadlineAfter(60_000, controller.signal),
      }),
    ).rejects.toThrow(DeadlineExceeded);
  });

  it('finishes with findings when there is time', async () => {
    const { analyses } = await checkStateMachines([machine(20)], {
      simulator: new EmbeddedSimulator(),
      deadline: deadlineAfter(60_000),
    });
    expect(analyses[0]?.needs.needs.length).toBeGreaterThanOrEqual(20);
  });
});

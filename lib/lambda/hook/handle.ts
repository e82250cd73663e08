// The Lambda Hook: request → units of work (one per execution role) → findings → response. Never throws:
// unexpected errors answer InternalFailure (or pass, with ON_ERROR=pass); work that does not fit the time
// budget answers IN_PROGRESS with what is done in callbackContext, at most three times.
import { deadlineAfter, DeadlineExceeded, expired, withDeadline, type Deadline } from '../../checks/deadline';
import type { Finding } from '../../checks/types';
import { messageOf, nameOf } from '../../model/errors';
import { isRecord } from '../../model/json';
import type { Backend } from '../../ports/backend';
import { clip } from '../../report/message';
import type { HookConfig } from './config';
import { MAX_INVOCATIONS, MAX_MESSAGE, type HookRequest, type HookResponse } from './contract';
import { callbackContextOf, countsOf, isClean, readCallbackContext } from './callback';
import { planFor } from './plans';
import { internalFailure, verdict } from './response';

export interface HookOutcome {
  response: HookResponse;
  findings: Finding[];
  /** What was checked, for logs and metrics. */
  subject: string;
}

/**
 * The invocation's time: a timer that aborts AWS calls and a deadline that CPU-bound work checks itself (a timer
 * cannot fire during a synchronous loop), so the work stops instead of running on after the answer.
 */
class Budget {
  readonly controller = new AbortController();
  /** Rejects when the budget is spent. */
  readonly expired: Promise<never>;
  readonly deadline: Deadline;
  private readonly timer: NodeJS.Timeout;
  constructor(ms: number) {
    this.deadline = deadlineAfter(ms, this.controller.signal);
    let reject: (error: Error) => void = () => undefined;
    this.expired = new Promise<never>((_resolve, fail) => (reject = fail));
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      const error = new Error('time budget spent');
      this.controller.abort(error);
      reject(error);
    }, ms);
  }
  get spent(): boolean {
    return expired(this.deadline);
  }
  done(): void {
    clearTimeout(this.timer);
  }
}

export async function handleHookRequest(
  event: unknown,
  backendFor: (signal: AbortSignal) => Backend,
  config: HookConfig,
): Promise<HookOutcome> {
  const token = isRecord(event) && typeof event.clientRequestToken === 'string' ? event.clientRequestToken : '';
  try {
    return await handle(event, token, backendFor, config);
  } catch (error) {
    // Last resort: nothing in a request may make the hook throw.
    return {
      response: internalFailure(token, `unexpected ${nameOf(error)}: ${messageOf(error)}`, config.onError),
      findings: [],
      subject: 'unknown target',
    };
  }
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

async function handle(
  event: unknown,
  token: string,
  backendFor: (signal: AbortSignal) => Backend,
  config: HookConfig,
): Promise<HookOutcome> {
  const request = (isRecord(event) ? event : {}) as HookRequest;
  const data = isRecord(request.requestData) ? request.requestData : undefined;
  const target =
    typeof data?.targetType === 'string'
      ? data.targetType
      : typeof data?.targetName === 'string'
        ? data.targetName
        : undefined;
  const subject = `${text(target, 'unknown target')} ${text(data?.targetLogicalId, '')}`.trim();
  if (!isRecord(event) || data === undefined || target === undefined) {
    return {
      response: internalFailure(
        token,
        'the event is not a CloudFormation Lambda Hook request (requestData.targetType is missing)',
        config.onError,
      ),
      findings: [],
      subject,
    };
  }
  const budget = new Budget(config.budgetMs);
  const invocation = typeof request.requestContext?.invocation === 'number' ? request.requestContext.invocation : 1;
  // Unit ids are logical ids: Maps, so "constructor" or "__proto__" is a unit like any other.
  const carried = readCallbackContext(request.requestContext?.callbackContext, token);
  const done = new Map<string, Finding[]>();
  // State machines in the plan and checked so far (a unit checks the machines sharing a role together).
  let machineCount = 0;
  let checked = 0;
  try {
    const work = async () => {
      const backend = backendFor(budget.controller.signal);
      const plan = await planFor(request, target, backend);
      if (plan.skip !== undefined)
        return {
          response: {
            hookStatus: 'SUCCESS' as const,
            message: clip(`dmap-guard: ${plan.skip}`, MAX_MESSAGE),
            clientRequestToken: token,
          },
          findings: [],
          subject: plan.subject,
        };
      machineCount = plan.units.reduce((sum, unit) => sum + unit.machines, 0);
      for (const unit of plan.units) {
        if (done.has(unit.id)) continue;
        const before = carried.get(unit.id);
        // Clean in an earlier invocation: nothing to report. Units with findings run again for their texts.
        if (before !== undefined && isClean(before)) done.set(unit.id, []);
        else
          done.set(
            unit.id,
            (await unit.run()).map(({ origin: _origin, ...finding }) => finding),
          );
        checked += unit.machines;
      }
      const findings = [...done.values()].flat();
      return { response: verdict(token, plan.subject, findings, config.failOn), findings, subject: plan.subject };
    };
    // The budget holds even when a call ignores the abort signal.
    return await Promise.race([withDeadline(budget.deadline, work), budget.expired]);
  } catch (error) {
    if (budget.spent || error instanceof DeadlineExceeded) {
      const seconds = `${(config.budgetMs / 1000).toLocaleString('en-US')} s`;
      // What did not fit: the machine and its size when a check stopped, else the stage the budget ran out in.
      const what =
        error instanceof DeadlineExceeded && error.work !== undefined
          ? error.work
          : machineCount === 0
            ? `reading ${subject}`
            : `${subject} (${checked} of ${machineCount} state machines checked)`;
      if (invocation < MAX_INVOCATIONS) {
        return {
          response: {
            hookStatus: 'IN_PROGRESS',
            message: clip(
              `dmap-guard: ${checked} state machine(s) checked so far; continuing (${what} did not fit in ${seconds}).`,
              MAX_MESSAGE,
            ),
            clientRequestToken: token,
            callbackContext: callbackContextOf(
              token,
              new Map([...carried, ...[...done].map(([id, findings]) => [id, countsOf(findings)] as const)]),
            ),
            callbackDelaySeconds: 1,
          },
          findings: [],
          subject,
        };
      }
      return {
        response: internalFailure(
          token,
          `${what} did not fit in ${MAX_INVOCATIONS} invocations of ${seconds}`,
          config.onError,
        ),
        findings: [],
        subject,
      };
    }
    return {
      response: internalFailure(token, `${nameOf(error)}: ${messageOf(error)}`, config.onError),
      findings: [],
      subject,
    };
  } finally {
    budget.done();
  }
}

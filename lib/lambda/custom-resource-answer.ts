// One custom resource invocation answers CloudFormation once. CloudFormation invokes the function asynchronously
// (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudformation.html), and Lambda runs an invocation that
// returned an error or timed out up to twice more
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html), checking again and perhaps
// answering differently (SUCCESS, then FAILED). So nothing here throws; the check is bounded by the budget even when
// a call ignores the abort signal; the PUT gets its own time and is retried only as the same body.
import { setTimeout as sleep } from 'node:timers/promises';
import { deadlineAfter, withDeadline } from '../checks/deadline';
import { messageOf } from '../model/errors';
import { isRecord } from '../model/json';
import type { Backend } from '../ports/backend';
import {
  customResourceResponse,
  failure,
  isResponseUrl,
  type CustomResourceEvent,
  type CustomResourceResponse,
} from './custom-resource';

/** PUTs `body` to `url` and resolves with the HTTP status; rejects on a network error or when `signal` aborts. */
export type PutResponse = (url: string, body: string, signal: AbortSignal) => Promise<number>;

export interface AnswerTimes {
  /** Time for the check; the response is sent when it is spent. */
  budgetMs: number;
  /** Time for one PUT attempt. */
  putAttemptMs: number;
  /** PUT attempts at most (the same body each time). */
  putAttempts: number;
  /** Wait before the second attempt; doubled before each further one. */
  putBackoffMs: number;
}

export type CustomResourceAnswer =
  | { answered: false; problem: string }
  | {
      answered: true;
      response: CustomResourceResponse;
      /** The PUT reached S3 (HTTP 2xx). */
      delivered: boolean;
      /** What each failed PUT attempt met, in order. */
      putFailures: string[];
    };

/** The fields a response must echo; an event without them cannot be answered (CloudFormation sends them all). */
export function readCustomResourceEvent(event: unknown): { event: CustomResourceEvent } | { problem: string } {
  if (!isRecord(event)) return { problem: 'the event is not a JSON object' };
  if (typeof event.ResponseURL !== 'string' || !isResponseUrl(event.ResponseURL))
    return { problem: 'ResponseURL is not an https presigned S3 URL' };
  for (const field of ['StackId', 'RequestId', 'LogicalResourceId'])
    if (typeof event[field] !== 'string' || event[field] === '') return { problem: `${field} is not a string` };
  return { event: event as unknown as CustomResourceEvent };
}

/** Check the event and PUT its one response. Never throws. */
export async function answerCustomResource(
  raw: unknown,
  backendFor: (signal: AbortSignal) => Backend,
  put: PutResponse,
  times: AnswerTimes,
): Promise<CustomResourceAnswer> {
  const read = readCustomResourceEvent(raw);
  if ('problem' in read) return { answered: false, problem: read.problem };
  const { event } = read;
  const response = await respond(event, backendFor, times.budgetMs);
  const body = JSON.stringify(response);
  const putFailures: string[] = [];
  for (let attempt = 1; attempt <= times.putAttempts; attempt++) {
    if (attempt > 1) await sleep(times.putBackoffMs * 2 ** (attempt - 2));
    const outcome = await putOnce(put, event.ResponseURL, body, times.putAttemptMs);
    if (outcome.kind === 'delivered') return { answered: true, response, delivered: true, putFailures };
    putFailures.push(outcome.problem);
    if (outcome.kind === 'refused') break;
  }
  return { answered: true, response, delivered: false, putFailures };
}

/** The check's response, or FAILED with why when it throws or the budget is spent. */
async function respond(
  event: CustomResourceEvent,
  backendFor: (signal: AbortSignal) => Backend,
  budgetMs: number,
): Promise<CustomResourceResponse> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // A timer cannot fire inside a synchronous loop, so CPU-bound work also checks the deadline itself.
  const spent = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error('time budget spent');
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    const work = withDeadline(deadlineAfter(budgetMs, controller.signal), () =>
      customResourceResponse(event, backendFor(controller.signal)),
    );
    // A call deaf to the abort signal may never settle: the answer does not wait for it.
    return await Promise.race([work, spent]);
  } catch (error) {
    return failure(
      event,
      controller.signal.aborted
        ? `dmap-guard ran out of time (${(budgetMs / 1000).toLocaleString('en-US')} s) before the check finished`
        : `dmap-guard could not check: ${messageOf(error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

type PutOutcome = { kind: 'delivered' } | { kind: 'retry' | 'refused'; problem: string };

/** One PUT within `ms`. A 5xx, 429, network error or timeout may pass on a retry; another status will not. */
async function putOnce(put: PutResponse, url: string, body: string, ms: number): Promise<PutOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms);
  try {
    const status = await Promise.race([
      put(url, body, controller.signal),
      new Promise<never>((_resolve, reject) =>
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
      ),
    ]);
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    const problem = `HTTP ${status}`;
    return status >= 500 || status === 429 ? { kind: 'retry', problem } : { kind: 'refused', problem };
  } catch (error) {
    return { kind: 'retry', problem: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

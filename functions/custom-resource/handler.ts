// Custom::DistributedMapPermissionCheck entry point: thin; lib/lambda/custom-resource-answer PUTs the one response,
// before the Lambda times out, and never throws (a thrown error would make Lambda run the event again).
import type { Context } from 'aws-lambda';
import { AwsBackend } from '../../lib/aws/backend';
import { answerCustomResource, type PutResponse } from '../../lib/lambda/custom-resource-answer';
import { clients } from '../shared/clients';
import { logger, invocationLogger } from '../shared/powertools';

/** Time kept for the PUT after the check's budget: 3 attempts of 1.4 s and waits of 0.2 s and 0.4 s fit in it. */
const PUT_MARGIN_MS = 5_000;
const PUT = { putAttemptMs: 1_400, putAttempts: 3, putBackoffMs: 200 };

// An empty Content-Type: the presigned URL was signed without one.
const putWithFetch: PutResponse = async (url, body, signal) =>
  (
    await fetch(url, {
      method: 'PUT',
      body,
      headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
      signal,
    })
  ).status;

export const handler = async (
  event: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<void> => {
  const budgetMs = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - PUT_MARGIN_MS);
  const answer = await answerCustomResource(event, (signal) => new AwsBackend(clients, signal), putWithFetch, {
    budgetMs,
    ...PUT,
  });
  if (!answer.answered) {
    logger.error('custom resource event not answered', { problem: answer.problem });
    return;
  }
  const { response } = answer;
  const log = invocationLogger({
    requestId: response.RequestId,
    stackId: response.StackId,
    logicalResourceId: response.LogicalResourceId,
  });
  log.info('custom resource verdict', { status: response.Status, data: response.Data });
  if (!answer.delivered) log.error('custom resource response not delivered', { failures: answer.putFailures });
  else if (answer.putFailures.length > 0)
    log.warn('custom resource response delivered on a retry', { failures: answer.putFailures });
};

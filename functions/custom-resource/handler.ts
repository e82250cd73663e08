// Custom::DistributedMapPermissionCheck entry point: always PUTs a response, before the Lambda times out.
import type { Context } from 'aws-lambda';
import { AwsBackend } from '../../lib/aws/backend';
import {
  customResourceResponse,
  failure,
  isCustomResourceEvent,
  type CustomResourceEvent,
  type CustomResourceResponse,
  isResponseUrl,
} from '../../lib/lambda/custom-resource';
import { messageOf } from '../../lib/model/errors';
import { clients } from '../shared/clients';
import { logger, invocationLogger } from '../shared/powertools';

/** Leave this much time to PUT the response before the function times out. */
const PUT_MARGIN_MS = 5_000;

async function send(event: CustomResourceEvent, response: CustomResourceResponse): Promise<void> {
  if (!isResponseUrl(event.ResponseURL)) throw new Error('ResponseURL is not an https presigned S3 URL; not answered');
  const body = JSON.stringify(response);
  // An empty Content-Type: the presigned URL was signed without one.
  const result = await fetch(event.ResponseURL, {
    method: 'PUT',
    body,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
  });
  if (!result.ok) throw new Error(`response PUT returned HTTP ${result.status}`);
}

export const handler = async (
  event: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<void> => {
  if (!isCustomResourceEvent(event)) {
    logger.error('not a CloudFormation custom resource event');
    return;
  }
  const log = invocationLogger({
    requestId: event.RequestId,
    stackId: event.StackId,
    logicalResourceId: event.LogicalResourceId,
    requestType: event.RequestType,
  });
  const budget = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - PUT_MARGIN_MS);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('time budget spent')), budget);
  let response: CustomResourceResponse;
  try {
    response = await customResourceResponse(event, new AwsBackend(clients, controller.signal));
  } catch (error) {
    response = failure(
      event,
      controller.signal.aborted
        ? 'dmap-guard ran out of time before the check finished'
        : `dmap-guard could not check: ${messageOf(error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
  log.info('custom resource verdict', { status: response.Status, data: response.Data });
  await send(event, response);
};

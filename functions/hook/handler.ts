// CloudFormation Lambda Hook entry point: thin; lib/lambda/hook does the work. It never throws: anything
// unexpected answers InternalFailure (or SUCCESS with ON_ERROR=pass).
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AwsBackend } from '../../lib/aws/backend';
import type { Finding } from '../../lib/checks/types';
import { hookConfig } from '../../lib/lambda/hook/config';
import type { HookRequest, HookResponse } from '../../lib/lambda/hook/contract';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { internalFailure } from '../../lib/lambda/hook/response';
import { messageOf } from '../../lib/model/errors';
import { CachedBackend } from '../../lib/ports/cached-backend';
import { verdictOf } from '../../lib/report/report';
import { clients } from '../shared/clients';
import { invocationLogger, invocationMetrics } from '../shared/powertools';

export const handler = async (
  event: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<HookResponse> => {
  const request = (typeof event === 'object' && event !== null ? event : {}) as HookRequest;
  const token = typeof request.clientRequestToken === 'string' ? request.clientRequestToken : '';
  const config = hookConfig(process.env, context?.getRemainingTimeInMillis?.());
  const log = invocationLogger({
    clientRequestToken: token,
    stackId: request.stackId,
    targetType: request.requestData?.targetType,
    targetLogicalId: request.requestData?.targetLogicalId,
    invocation: request.requestContext?.invocation,
  });
  try {
    // One backend per invocation: reads and IAM answers are shared within it, never between invocations.
    const outcome = await handleHookRequest(
      event,
      (signal) => new CachedBackend(new AwsBackend(clients, signal)),
      config,
    );
    publishMetrics(outcome.response, outcome.findings, log);
    // Counts and rule ids only: findings quote policy statements, which stay out of info logs.
    log.info('hook verdict', {
      subject: outcome.subject,
      hookStatus: outcome.response.hookStatus,
      errorCode: outcome.response.errorCode,
      findings: Object.fromEntries(countBy(outcome.findings.map((f) => f.rule))),
    });
    log.debug('hook findings', { findings: outcome.findings });
    return outcome.response;
  } catch (error) {
    log.error('hook failed', { error });
    return internalFailure(token, messageOf(error), config.onError);
  }
};

function publishMetrics(response: HookResponse, findings: Finding[], log: Logger): void {
  try {
    const metrics = invocationMetrics();
    const failureMode = process.env.FAILURE_MODE ?? 'UNKNOWN';
    metrics.addDimension('FailureMode', failureMode);
    metrics.addMetric('NonCompliantResources', MetricUnit.Count, response.errorCode === 'NonCompliant' ? 1 : 0);
    metrics.addMetric('InternalFailures', MetricUnit.Count, response.errorCode === 'InternalFailure' ? 1 : 0);
    // UNVERIFIED whatever FAIL_ON made of it: the alarm counts what could not be decided.
    const unverified = response.errorCode !== 'InternalFailure' && verdictOf(findings) === 'unverified';
    metrics.addMetric('UnverifiedResources', MetricUnit.Count, unverified ? 1 : 0);
    for (const [rule, count] of countBy(findings.filter((f) => !f.suppressed).map((f) => f.rule))) {
      const single = metrics.singleMetric();
      single.addDimension('FailureMode', failureMode);
      single.addDimension('Rule', rule);
      single.addMetric('Findings', MetricUnit.Count, count);
    }
    metrics.publishStoredMetrics();
  } catch (error) {
    log.warn('metrics could not be published', { error });
  }
}

/** How many times each value occurs. */
function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

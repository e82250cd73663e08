// CloudFormation Lambda Hook entry point: thin; lib/hook does the work. It never throws: anything
// unexpected answers InternalFailure (or SUCCESS with ON_ERROR=pass).
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AwsBackend } from '../../lib/aws/backend';
import { CachedBackend } from '../../lib/ports/cached-backend';
import type { Finding } from '../../lib/checks/types';
import { hookConfig } from '../../lib/lambda/hook/config';
import type { HookRequest, HookResponse } from '../../lib/lambda/hook/contract';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { internalFailure } from '../../lib/lambda/hook/response';
import { verdictOf } from '../../lib/report/report';
import { clients } from '../shared/clients';
import { logger, metrics } from '../shared/powertools';

export const handler = async (
  event: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<HookResponse> => {
  const request = (typeof event === 'object' && event !== null ? event : {}) as HookRequest;
  const token = typeof request.clientRequestToken === 'string' ? request.clientRequestToken : '';
  const config = hookConfig(process.env, context?.getRemainingTimeInMillis?.());
  try {
    // Keys from a previous invocation of this execution environment must not label this one.
    logger.resetKeys();
    logger.appendKeys({
      clientRequestToken: token,
      stackId: request.stackId,
      targetType: request.requestData?.targetType,
      targetLogicalId: request.requestData?.targetLogicalId,
      invocation: request.requestContext?.invocation,
    });
    // One backend per invocation: reads and IAM answers are shared within it, never between invocations.
    const outcome = await handleHookRequest(
      event,
      (signal) => new CachedBackend(new AwsBackend(clients, signal)),
      config,
    );
    publishMetrics(outcome.response, outcome.findings);
    // Counts and rule ids only: findings quote policy statements, which stay out of info logs.
    logger.info('hook verdict', {
      subject: outcome.subject,
      hookStatus: outcome.response.hookStatus,
      errorCode: outcome.response.errorCode,
      findings: countBy(outcome.findings.map((f) => f.rule)),
    });
    logger.debug('hook findings', { findings: outcome.findings });
    return outcome.response;
  } catch (error) {
    logger.error('hook failed', { error: (error as Error).message });
    return internalFailure(token, (error as Error).message, config.onError);
  }
};

function publishMetrics(response: HookResponse, findings: Finding[]): void {
  try {
    const failureMode = process.env.FAILURE_MODE ?? 'UNKNOWN';
    metrics.addDimension('FailureMode', failureMode);
    metrics.addMetric('NonCompliantResources', MetricUnit.Count, response.errorCode === 'NonCompliant' ? 1 : 0);
    metrics.addMetric('InternalFailures', MetricUnit.Count, response.errorCode === 'InternalFailure' ? 1 : 0);
    // UNVERIFIED whatever FAIL_ON made of it: the alarm counts what could not be decided.
    const unverified = response.errorCode !== 'InternalFailure' && verdictOf(findings) === 'unverified';
    metrics.addMetric('UnverifiedResources', MetricUnit.Count, unverified ? 1 : 0);
    for (const [rule, count] of Object.entries(countBy(findings.filter((f) => !f.suppressed).map((f) => f.rule)))) {
      const single = metrics.singleMetric();
      single.addDimension('FailureMode', failureMode);
      single.addDimension('Rule', rule);
      single.addMetric('Findings', MetricUnit.Count, count);
    }
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn('metrics could not be published', { error: (error as Error).message });
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

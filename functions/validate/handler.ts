// Manual invoke: returns the check report as JSON for {stateMachineArn}, {definition, roleArn} or {template}.
import type { Context } from 'aws-lambda';
import { AwsBackend } from '../../lib/aws/backend';
import { partitionOf } from '../../lib/model/arns';
import { messageOf, nameOf } from '../../lib/model/errors';
import type { Report } from '../../lib/report/report';
import { validate, type ValidateRequest } from '../../lib/lambda/validate';
import { clients } from '../shared/clients';
import { invocationLogger } from '../shared/powertools';

export const handler = async (
  event: ValidateRequest,
  context?: Partial<Pick<Context, 'invokedFunctionArn' | 'awsRequestId'>>,
): Promise<Report | { error: string }> => {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  // The function's own ARN names the account it runs in.
  const account = context?.invokedFunctionArn?.split(':')[4] ?? '123456789012';
  const partition = partitionOf(region);
  const log = invocationLogger({ requestId: context?.awsRequestId });
  try {
    const report = await validate(event, new AwsBackend(clients), { region, account, partition });
    log.info('validation', { summary: report.summary });
    return report;
  } catch (error) {
    log.error('validation failed', { error });
    return { error: `${nameOf(error)}: ${messageOf(error)}` };
  }
};

// The audit command's options (typed for its runner, which loads the AWS SDK).
import { Option, type Command } from '@commander-js/extra-typings';
import { choice, single } from '../args';
import { failOnOption, formatOption, outputOption, quietOption } from './options';

export function defineAudit(program: Command) {
  return program
    .command('audit')
    .description('check deployed state machines (all of the Region, or the given ARNs) against their execution roles')
    .option('--state-machine-arn <arn...>', 'state machines to check (default: every state machine in the Region)')
    .addOption(
      new Option('--region <region>', 'AWS Region (default: the SDK chain: AWS_REGION, profile)').argParser(single),
    )
    .addOption(
      new Option(
        '--endpoint-url <url>',
        'endpoint for every client, as the AWS CLI option (S3 in path style)',
      ).argParser(single),
    )
    .addOption(
      new Option(
        '--evaluator <simulate|local>',
        'simulate: iam:SimulatePrincipalPolicy (default); local: read the policies and evaluate them offline',
      ).argParser(choice(['simulate', 'local'])),
    )
    .addOption(formatOption())
    .addOption(failOnOption())
    .addOption(outputOption())
    .addOption(quietOption());
}

export type AuditOptions = ReturnType<ReturnType<typeof defineAudit>['opts']>;

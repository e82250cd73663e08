// The audit command's options, apart from its runner so that the AWS SDK loads only when audit runs.
import type { CommandSpec } from '../args';

export const auditSpec: CommandSpec = {
  name: 'audit',
  summary: 'check deployed state machines (all of the Region, or the given ARNs) against their execution roles',
  usage:
    'dmap-guard audit [--state-machine-arn <arn>...] [--region R] [--endpoint-url URL] [--evaluator simulate|local] [--format text|json|sarif] [--fail-on error|unverified|warning|never]',
  positionals: { min: 0, max: 0, name: '' },
  options: {
    'state-machine-arn': {
      kind: 'list',
      placeholder: 'arn',
      help: 'state machines to check (default: every state machine in the Region)',
    },
    region: { kind: 'string', placeholder: 'region', help: 'AWS Region (default: the SDK chain: AWS_REGION, profile)' },
    'endpoint-url': {
      kind: 'string',
      placeholder: 'url',
      help: 'endpoint for every client, as the AWS CLI option (S3 in path style)',
    },
    evaluator: {
      kind: 'string',
      choices: ['simulate', 'local'],
      help: 'simulate: iam:SimulatePrincipalPolicy (default); local: read the policies and evaluate them offline',
    },
    format: { kind: 'string', choices: ['text', 'json', 'sarif'], help: 'output format (default text)' },
    'fail-on': {
      kind: 'string',
      choices: ['error', 'unverified', 'warning', 'never'],
      help: 'exit 1 when a finding reaches this severity (default error)',
    },
  },
};

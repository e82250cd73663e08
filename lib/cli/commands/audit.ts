// dmap-guard audit: check deployed state machines of an account through the SDK.
import { createClients } from '../../aws/clients';
import { AwsBackend } from '../../aws/backend';
import { checkStateMachines } from '../../checks/analyze';
import { RULES } from '../../checks/registry';
import { EmbeddedSimulator } from '../../checks/simulator';
import { deployedModel } from '../../deployed';
import { buildReport, renderJson, type FailOn } from '../../report/report';
import { renderSarif } from '../../report/sarif';
import { renderText } from '../../report/text';
import { parseArgs, UsageError, type CommandSpec } from '../args';
import type { CliIO } from '../io';
import { VERSION } from '../version';

export const auditSpec: CommandSpec = {
  name: 'audit',
  summary: 'check deployed state machines (all of the Region, or the given ARNs) against their execution roles',
  usage:
    'dmap-guard audit [--state-machine-arn <arn>...] [--region R] [--endpoint-url URL] [--evaluator simulate|local] [--format text|json|sarif] [--fail-on error|warning|never]',
  positionals: { min: 0, max: 0, name: '' },
  options: {
    'state-machine-arn': { kind: 'list', placeholder: 'arn', help: 'state machines to check (default: every state machine in the Region)' },
    region: { kind: 'string', placeholder: 'region', help: 'AWS Region (default: the SDK chain: AWS_REGION, profile)' },
    'endpoint-url': { kind: 'string', placeholder: 'url', help: 'endpoint for every client, as the AWS CLI option (S3 in path style)' },
    evaluator: {
      kind: 'string',
      choices: ['simulate', 'local'],
      help: 'simulate: iam:SimulatePrincipalPolicy (default); local: read the policies and evaluate them offline',
    },
    format: { kind: 'string', choices: ['text', 'json', 'sarif'], help: 'output format (default text)' },
    'fail-on': { kind: 'string', choices: ['error', 'warning', 'never'], help: 'exit 1 when a finding reaches this severity (default error)' },
  },
};

export async function runAudit(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, auditSpec);
  const endpoint = args.strings['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) throw new UsageError(`--endpoint-url must be an http(s) URL; got "${endpoint}"`);
  const clients = createClients({ ...(args.strings.region ? { region: args.strings.region } : {}), ...(endpoint ? { endpoint } : {}) });
  const backend = new AwsBackend(clients);
  const arns = args.lists['state-machine-arn'] ?? (await backend.listStateMachines());
  const machines = [];
  for (const arn of arns) machines.push(await deployedModel(arn, backend));
  const simulator = args.strings.evaluator === 'local' ? new EmbeddedSimulator() : backend.simulator([]);
  const { findings, analyses } = await checkStateMachines(machines, { simulator });
  const report = buildReport(analyses, findings, (args.strings['fail-on'] as FailOn | undefined) ?? 'error');
  const format = args.strings.format ?? 'text';
  io.out(format === 'json' ? renderJson(report) : format === 'sarif' ? renderSarif(report, RULES, VERSION) : renderText(report));
  return report.summary.failed ? 1 : 0;
}

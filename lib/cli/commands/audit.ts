// dmap-guard audit: check deployed state machines of an account through the SDK.
import { loadAwsBackend } from '../../aws/load';
import { checkStateMachines } from '../../checks/analyze';
import { EmbeddedSimulator } from '../../offline/simulator';
import { deployedModel } from '../../inputs/deployed';
import { buildReport, type FailOn } from '../../report/report';
import { renderReport, type ReportFormat } from '../../report/render';
import { parseArgs, UsageError } from '../args';
import { auditSpec } from './audit-spec';
import type { CliIO } from '../io';
import { VERSION } from '../version';

export async function runAudit(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, auditSpec);
  const endpoint = args.strings['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(`--endpoint-url must be an http(s) URL; got "${endpoint}"`);
  const backend = await loadAwsBackend({
    ...(args.strings.region ? { region: args.strings.region } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const arns = args.lists['state-machine-arn'] ?? (await backend.listStateMachines());
  const machines = [];
  for (const arn of arns) machines.push(await deployedModel(arn, backend));
  const simulator = args.strings.evaluator === 'local' ? new EmbeddedSimulator() : backend.simulator([]);
  const { findings, analyses } = await checkStateMachines(machines, {
    simulator,
    bucketKey: (bucket) => backend.bucketKey(bucket),
  });
  const report = buildReport(analyses, findings, (args.strings['fail-on'] as FailOn | undefined) ?? 'error');
  const format = args.strings.format ?? 'text';
  io.out(renderReport(report, format as ReportFormat, VERSION));
  return report.summary.failed ? 1 : 0;
}

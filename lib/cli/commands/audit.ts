// dmap-guard audit: check deployed state machines of an account through the SDK.
import { createClients } from '../../aws/clients';
import { AwsBackend } from '../../aws/backend';
import { checkStateMachines } from '../../checks/analyze';
import { EmbeddedSimulator } from '../../offline/simulator';
import { deployedModel } from '../../inputs/deployed';
import { mapWithConcurrency } from '../../model/concurrency';
import { CachedBackend } from '../../ports/cached-backend';
import { buildReport, type FailOn } from '../../report/report';
import { renderReport, type ReportFormat } from '../../report/render';
import { parseArgs, UsageError } from '../args';
import { auditSpec } from './audit-spec';
import type { CliIO } from '../io';
import { VERSION } from '../version';

/** Machines read at once: enough to hide latency, few enough to stay under the IAM and Step Functions rate limits. */
const MACHINES_IN_FLIGHT = 8;

export async function runAudit(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, auditSpec);
  const endpoint = args.strings['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(`--endpoint-url must be an http(s) URL; got "${endpoint}"`);
  const clients = createClients({
    ...(args.strings.region ? { region: args.strings.region } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  // Each role, policy, bucket key and state machine is read once per run, a few machines at a time.
  const backend = new CachedBackend(new AwsBackend(clients));
  const arns = args.lists['state-machine-arn'] ?? (await backend.listStateMachines());
  const machines = await mapWithConcurrency(arns, MACHINES_IN_FLIGHT, (arn) => deployedModel(arn, backend));
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

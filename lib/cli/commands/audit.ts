// dmap-guard audit: check deployed state machines of an account through the SDK.
import { loadAwsBackend } from '../../aws/load';
import { awsUsageError } from '../../aws/errors';
import { checkStateMachines } from '../../checks/analyze';
import { deployedModel } from '../../inputs/deployed';
import { parseStateMachineArn } from '../../model/arns';
import { mapWithConcurrency } from '../../model/concurrency';
import type { StateMachineModel } from '../../model/state-machine';
import { EmbeddedSimulator } from '../../offline/simulator';
import { CachedBackend } from '../../ports/cached-backend';
import { buildReport } from '../../report/report';
import { UsageError } from '../args';
import type { CliIO } from '../io';
import { liveResourcePolicies } from '../../checks/resource-side';
import { progress } from '../progress';
import { printReport } from '../report-output';
import type { AuditOptions } from './audit-options';

/** Machines read at once: enough to hide latency, few enough to stay under the IAM and Step Functions rate limits. */
const MACHINES_IN_FLIGHT = 8;

export async function runAudit(args: AuditOptions, io: CliIO): Promise<number> {
  const endpoint = args.endpointUrl;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new UsageError(`--endpoint-url must be an http(s) URL; got "${endpoint}"`);
  const badArn = args.stateMachineArn?.find((arn) => !parseStateMachineArn(arn));
  if (badArn !== undefined)
    throw new UsageError(
      `--state-machine-arn must look like arn:aws:states:<region>:<account>:stateMachine:<name>; got "${badArn}"`,
    );
  // The SDK warns on every Node 20 run that later SDK releases need Node 22; dmap-guard supports Node 20, so
  // the banner is switched off the documented way (https://github.com/aws/aws-sdk-js-v3/issues/7983).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The SDK is loaded here only (its own chunk of the CLI bundle). Each role, policy, bucket key, resource policy
  // and state machine is read once per run, a few machines at a time.
  const backend = new CachedBackend(
    await loadAwsBackend({ ...(args.region ? { region: args.region } : {}), ...(endpoint ? { endpoint } : {}) }),
  );
  try {
    const arns = args.stateMachineArn ?? (await backend.listStateMachines());
    const reading = progress(io, 'reading', arns.length, args.quiet);
    const machines: StateMachineModel[] = await mapWithConcurrency(arns, MACHINES_IN_FLIGHT, async (arn) => {
      const machine = await deployedModel(arn, backend);
      reading.step(arn);
      return machine;
    });
    reading.done();
    const simulator = args.evaluator === 'local' ? new EmbeddedSimulator() : backend.simulator([]);
    const { findings, analyses } = await checkStateMachines(machines, {
      simulator,
      bucketKey: (bucket) => backend.bucketKey(bucket),
      resourcePolicy: liveResourcePolicies(backend),
    });
    const report = buildReport(analyses, findings, args.failOn ?? 'error');
    printReport(report, args, {}, io);
    return report.summary.failed ? 1 : 0;
  } catch (error) {
    throw awsUsageError(error, endpoint) ?? error;
  }
}

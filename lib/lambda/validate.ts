// Manual validation: {stateMachineArn} | {definition, roleArn} | {template} → the check report.
import { checkStateMachines } from '../checks/analyze';
import { guardedBucketKey } from '../inputs/bucket-keys';
import { EmbeddedSimulator } from '../offline/simulator';
import { definitionModel, deployedModel } from '../inputs/deployed';
import { analyzeWithBackend } from '../inputs/stack';
import type { StateMachineModel } from '../model/state-machine';
import type { Backend } from '../ports/backend';
import { buildReport, type FailOn, type Report } from '../report/report';
import { liveResourcePolicies } from '../checks/resource-side';

export interface ValidateRequest {
  stateMachineArn?: string;
  definition?: unknown;
  roleArn?: string;
  stateMachineName?: string;
  template?: unknown;
  failOn?: FailOn;
}

export interface Where {
  region: string;
  account: string;
  partition: string;
}

export class ValidateRequestError extends Error {
  override name = 'ValidateRequestError';
}

export async function validate(request: ValidateRequest, backend: Backend, where: Where): Promise<Report> {
  const failOn: FailOn = request.failOn ?? 'error';
  let machines: StateMachineModel[];
  let simulator = backend.simulator([]);
  // Deployed machines and definitions name buckets that exist: their keys are asked of the account.
  let askBucketKeys = true;
  if (typeof request.stateMachineArn === 'string') {
    machines = [await deployedModel(request.stateMachineArn, backend)];
  } else if (request.definition !== undefined && typeof request.roleArn === 'string') {
    machines = [
      await definitionModel(
        {
          definition: request.definition,
          roleArn: request.roleArn,
          name: request.stateMachineName ?? 'validated-state-machine',
          ...where,
          source: 'validate',
        },
        backend,
      ),
    ];
  } else if (request.template !== undefined) {
    const text = typeof request.template === 'string' ? request.template : JSON.stringify(request.template);
    machines = await analyzeWithBackend(text, 'template', { ...where }, backend);
    // Roles defined in the template do not exist yet: judge their documents with the embedded evaluator.
    simulator = new EmbeddedSimulator();
    askBucketKeys = false;
  } else {
    throw new ValidateRequestError('expected {stateMachineArn}, {definition, roleArn} or {template}');
  }
  const { findings, analyses } = await checkStateMachines(machines, {
    simulator,
    ...(askBucketKeys ? { bucketKey: guardedBucketKey(backend, machines) } : {}),
    resourcePolicy: liveResourcePolicies(backend),
  });
  return buildReport(analyses, findings, failOn);
}

// The work a hook request asks for, one plan per target type: the state machine itself, an IAM resource its
// role depends on, or a whole stack or change set. Each unit of work is one state machine's check.
import { parseDocumentText } from '../../cfn/load';
import { applySubstitutions } from '../../cfn/intrinsics';
import { physicalName } from '../../cfn/resources';
import { checkStateMachines } from '../../checks/analyze';
import type { Finding } from '../../checks/types';
import { readStateMachineProperties, type DefinitionSource } from '../../cfn/state-machine-properties';
import { analyzeDocumentWithBackend, analyzeWithBackend } from '../../inputs/stack';
import { isRecord, own } from '../../model/json';
import { parseStackId, type StackContext } from '../../model/stack';
import { stateMachineModel, type StateMachineModel } from '../../model/state-machine';
import { EmbeddedSimulator } from '../../offline/simulator';
import type { Backend } from '../../ports/backend';
import type { Simulator } from '../../ports/simulator';
import type { HookRequest } from './contract';
import { liveResourcePolicies } from '../../checks/resource-side';

export interface Unit {
  id: string;
  run(): Promise<Finding[]>;
}

export interface Plan {
  subject: string;
  units: Unit[];
  /** Said when there is nothing to check. */
  skip?: string;
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::RolePolicy', 'AWS::IAM::ManagedPolicy']);

/**
 * Hooks may deliver scalars as strings ("true", "10"). Booleans are coerced everywhere; numeric strings are
 * left alone, since no property dmap-guard reads is a number and names such as "123" must stay strings.
 */
export function coerceScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coerceScalars);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceScalars(v)]));
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export async function planFor(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const point = request.actionInvocationPoint ?? '';
  const logicalId = request.requestData?.targetLogicalId ?? '';
  if (point.startsWith('DELETE'))
    return { subject: `${target} ${logicalId}`, units: [], skip: 'deletions need no permission check.' };
  if (target === 'AWS::StepFunctions::StateMachine') return stateMachinePlan(request, backend);
  if (IAM_TYPES.has(target)) return iamPlan(request, target, backend);
  if (target === 'STACK' || target === 'CHANGE_SET') return stackPlan(request, target, backend);
  return { subject: target, units: [], skip: `${target} is not a target dmap-guard checks.` };
}

function stackContextOf(request: HookRequest): StackContext {
  const context = parseStackId(request.stackId ?? '');
  if (!context) throw new Error(`stackId "${request.stackId ?? ''}" is not a CloudFormation stack ARN`);
  return context;
}

/** The stack's template analysed with what already exists: the machines and their roles as they will be. */
async function stackMachines(
  stack: StackContext,
  backend: Backend,
  replace?: { logicalId: string; properties: Record<string, unknown> },
): Promise<StateMachineModel[]> {
  const text = await backend.stackTemplate(stack.stackId);
  if (text === undefined) return [];
  const doc = parseDocumentText(text, stack.stackName);
  if (replace) {
    const resources = isRecord(doc.value) && isRecord(doc.value.Resources) ? doc.value.Resources : undefined;
    const resource = own(resources, replace.logicalId);
    if (isRecord(resource)) resource.Properties = replace.properties;
  }
  const physicalIds = await backend.stackResources(stack.stackId);
  return analyzeDocumentWithBackend(doc, { ...stack, physicalIds }, backend);
}

/** One machine judged by `simulator`; the keys of the buckets its needs name are asked of the account. */
async function check(machine: StateMachineModel, simulator: Simulator, backend: Backend): Promise<Finding[]> {
  return (
    await checkStateMachines([machine], {
      simulator,
      bucketKey: (bucket) => backend.bucketKey(bucket),
      resourcePolicy: liveResourcePolicies(backend),
    })
  ).findings;
}

/** A machine from the stack's template: live bucket keys over the template's, judged by the given simulator. */
function templateMachineUnit(machine: StateMachineModel, backend: Backend, simulator: Simulator): Unit {
  return { id: machine.id, run: () => check(machine, simulator, backend) };
}

/** The definition the event's properties give, read from S3 when they point there. */
async function eventDefinition(
  source: DefinitionSource,
  backend: Backend,
): Promise<{ definition?: unknown; unavailable?: string }> {
  if (source.kind === 'inline') return { definition: source.value };
  const location = source.kind === 'location' ? source.value : undefined;
  if (isRecord(location) && typeof location.Bucket === 'string' && typeof location.Key === 'string') {
    const version = typeof location.Version === 'string' ? location.Version : undefined;
    const text = await backend.objectText(location.Bucket, location.Key, version);
    return { definition: parseDocumentText(text, `s3://${location.Bucket}/${location.Key}`).value };
  }
  return { unavailable: 'the resource properties carry no Definition, DefinitionString or DefinitionS3Location' };
}

async function stateMachinePlan(request: HookRequest, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? 'StateMachine';
  const subject = `state machine ${logicalId}`;
  const props = coerceScalars(request.requestData?.targetModel?.resourceProperties ?? {}) as Record<string, unknown>;
  const stack = stackContextOf(request);
  const fromTemplate = (await stackMachines(stack, backend)).find((m) => m.id === logicalId);
  // One name for both the needs and the stack's pending policies when the machine has no name yet.
  const name =
    typeof props.StateMachineName === 'string'
      ? props.StateMachineName
      : (fromTemplate?.context.name ?? physicalName({ ...stack }, logicalId, { maxLength: 80, withStack: false }));
  const read = readStateMachineProperties(props, { where: stack });
  const { definition, unavailable } = await eventDefinition(read.definition, backend);
  const roleArn = typeof read.role === 'string' ? read.role : '';
  // The template's view of the role includes policies the stack creates later (CDK's DistributedMapPolicy).
  const role =
    fromTemplate?.role?.arn === roleArn
      ? fromTemplate.role
      : roleArn === ''
        ? undefined
        : await backend.readRole(roleArn);
  const machine = stateMachineModel({
    id: logicalId,
    name,
    partition: stack.partition,
    region: stack.region,
    account: stack.account,
    type: read.type,
    bucketKeys: fromTemplate?.context.bucketKeys ?? {},
    logging: read.logging,
    tracing: read.tracing,
    ...(read.encryptionKey !== undefined ? { encryptionKey: read.encryptionKey } : {}),
    definition: applySubstitutions(definition, read.substitutions),
    ...(unavailable !== undefined ? { definitionUnavailable: unavailable } : {}),
    ...(role ? { role } : {}),
    ...(roleArn === '' ? { roleReference: 'none (RoleArn is missing)' } : {}),
    source: stack.stackName,
    suppressions: fromTemplate?.suppressions ?? [],
  });
  const pending = (role?.identityPolicies ?? []).filter((p) => p.origin !== undefined).map((p) => p.document);
  return {
    subject,
    units: [{ id: logicalId, run: () => check(machine, backend.simulator(pending), backend) }],
  };
}

/** Role names a proposed IAM resource attaches to. */
function attachedRoleNames(
  target: string,
  logicalId: string,
  props: Record<string, unknown>,
  physicalIds: Record<string, string>,
): Set<string> {
  if (target === 'AWS::IAM::Role')
    return new Set([typeof props.RoleName === 'string' ? props.RoleName : (own(physicalIds, logicalId) ?? '')]);
  if (target === 'AWS::IAM::RolePolicy') return new Set([String(props.RoleName ?? '')]);
  return new Set(Array.isArray(props.Roles) ? props.Roles.map(String) : []);
}

async function iamPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? '';
  const props = coerceScalars(request.requestData?.targetModel?.resourceProperties ?? {}) as Record<string, unknown>;
  const stack = stackContextOf(request);
  const physicalIds = await backend.stackResources(stack.stackId);
  const roles = attachedRoleNames(target, logicalId, props, physicalIds);
  // The proposed documents replace the current ones: judged with the embedded evaluator, since
  // SimulatePrincipalPolicy would still see the attached policies this change removes.
  const machines = (await stackMachines(stack, backend, { logicalId, properties: props })).filter(
    (m) => m.role && roles.has(m.role.arn.split('/').pop() ?? ''),
  );
  const subject = `${target} ${logicalId}`;
  if (machines.length === 0)
    return { subject, units: [], skip: `${subject} is used by no state machine of this stack.` };
  const simulator = new EmbeddedSimulator();
  return {
    subject: `${subject} (used by ${machines.map((m) => m.id).join(', ')})`,
    units: machines.map((machine) => templateMachineUnit(machine, backend, simulator)),
  };
}

async function stackPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const payloadUrl = request.requestData?.payload;
  if (typeof payloadUrl !== 'string') throw new Error(`${target} request has no payload URL`);
  const stack = stackContextOf(request);
  const payload: unknown = JSON.parse(await backend.fetchPayload(payloadUrl));
  const template = isRecord(payload) ? payload.template : undefined;
  const subject = `${target === 'STACK' ? 'stack' : 'change set of'} ${stack.stackName}`;
  if (typeof template !== 'string' || template.trim() === '')
    return { subject, units: [], skip: `${subject} has no template to check.` };
  const physicalIds = await backend.stackResources(stack.stackId);
  const machines = await analyzeWithBackend(template, stack.stackName, { ...stack, physicalIds }, backend);
  if (machines.length === 0) return { subject, units: [], skip: `${subject} defines no state machine.` };
  const simulator = new EmbeddedSimulator();
  return {
    subject,
    units: machines.map((machine) => templateMachineUnit(machine, backend, simulator)),
  };
}

// The work a hook request asks for, one plan per target type: the state machine itself, an IAM resource its
// role depends on (iam-plan.ts), or a whole stack or change set. Each unit of work is one state machine's check.
// A read the account refuses is unverifiable for the machine it touches; only bugs and a spent budget throw.
import { parseDocumentText, type LoadedDocument } from '../../cfn/load';
import { applySubstitutions } from '../../cfn/intrinsics';
import { physicalName } from '../../cfn/resources';
import { readStateMachineProperties, type DefinitionSource } from '../../cfn/state-machine-properties';
import { analyzeDocumentWithBackend, readS3Definition, s3LocationOf } from '../../inputs/stack';
import { messageOf } from '../../model/errors';
import { isRecord, own } from '../../model/json';
import { stateMachineModel, type StateMachineModel, type Unverifiable } from '../../model/state-machine';
import { EmbeddedSimulator } from '../../offline/simulator';
import type { Backend } from '../../ports/backend';
import type { HookRequest, StackPayload } from './contract';
import { iamPlan, IAM_TYPES } from './iam-plan';
import {
  byRole,
  check,
  coerceScalars,
  physicalIdsOf,
  readStack,
  stackContextOf,
  stackMachines,
  type Plan,
  type StackRead,
} from './stack-machines';

export type { Plan, Unit } from './stack-machines';
export { coerceScalars } from './stack-machines';

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

/** The definition the event's properties give, read from S3 when they point there. */
async function eventDefinition(
  source: DefinitionSource,
  backend: Backend,
): Promise<{ definition?: unknown; unavailable?: string; unverifiable?: Unverifiable }> {
  if (source.kind === 'inline') return { definition: source.value };
  if (source.kind === 'none')
    return { unavailable: 'the resource properties carry no Definition, DefinitionString or DefinitionS3Location' };
  const location = s3LocationOf(source.value);
  if (!location)
    return {
      unavailable:
        typeof source.value === 'string'
          ? `${source.field} "${source.value}" is not an s3:// URI`
          : `${source.field} is neither {Bucket, Key} nor an s3:// URI`,
    };
  const read = await readS3Definition(backend, location);
  if ('unverifiable' in read) {
    const { subject, reason, remedy } = read.unverifiable;
    return { unavailable: `${subject} cannot be read: ${reason}; ${remedy}`, unverifiable: read.unverifiable };
  }
  const where = `s3://${location.bucket}/${location.key}`;
  try {
    return { definition: parseDocumentText(read.text, where).value };
  } catch (error) {
    return { unavailable: `${source.field} ${where} cannot be read: ${messageOf(error)}` };
  }
}

const propertiesOf = (doc: LoadedDocument | undefined, logicalId: string): Record<string, unknown> | undefined => {
  const resources = isRecord(doc?.value) && isRecord(doc.value.Resources) ? doc.value.Resources : undefined;
  const resource = own(resources, logicalId);
  return isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : undefined;
};

/**
 * The logical id of the role the machine names by `RoleArn: !GetAtt <Role>.Arn`, when only CloudFormation knows
 * that role's name: no RoleName and not created yet, so the event's resolved RoleArn is the only name it has.
 */
function generatedRoleId(inStack: StackRead, logicalId: string): string | undefined {
  const roleArn = propertiesOf(inStack.doc, logicalId)?.RoleArn;
  const getAtt = isRecord(roleArn) ? roleArn['Fn::GetAtt'] : undefined;
  const [id, attribute] = typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
  if (typeof id !== 'string' || attribute !== 'Arn') return undefined;
  const named = propertiesOf(inStack.doc, id)?.RoleName !== undefined || own(inStack.physicalIds, id) !== undefined;
  return named ? undefined : id;
}

async function stateMachinePlan(request: HookRequest, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? 'StateMachine';
  const subject = `state machine ${logicalId}`;
  const props = coerceScalars(request.requestData?.targetModel?.resourceProperties ?? {}) as Record<string, unknown>;
  const stack = stackContextOf(request);
  const inStack = await readStack(request, stack, backend);
  const fromTemplate = (await stackMachines(inStack, stack, backend)).find((m) => m.id === logicalId);
  // One name for both the needs and the stack's pending policies when the machine has no name yet.
  const name =
    typeof props.StateMachineName === 'string'
      ? props.StateMachineName
      : (fromTemplate?.context.name ?? physicalName({ ...stack }, logicalId, { maxLength: 80, withStack: false }));
  const read = readStateMachineProperties(props, { where: stack });
  const { definition, unavailable, unverifiable } = await eventDefinition(read.definition, backend);
  const roleArn = typeof read.role === 'string' ? read.role : '';
  // The template's view of the role includes policies the stack creates later (CDK's DistributedMapPolicy). The
  // event's RoleArn is that role when the template names it by logical id, whatever name CloudFormation gave it.
  const templateRole = fromTemplate?.role;
  const sameRole =
    templateRole !== undefined &&
    roleArn !== '' &&
    (templateRole.arn === roleArn ||
      (templateRole.origin?.logicalId !== undefined &&
        templateRole.origin.logicalId === generatedRoleId(inStack, logicalId)));
  const role = sameRole
    ? { ...templateRole, arn: roleArn, unknown: [...templateRole.unknown] }
    : roleArn === ''
      ? undefined
      : await backend.readRole(roleArn);
  // Until the unverifiable rule reports them, unread stack reads keep the role from passing unproven.
  if (role && !sameRole && inStack.unreadable.length > 0)
    role.unknown.push(
      ...inStack.unreadable.map((u) => `policies the stack attaches later (${u.subject}: ${u.reason})`),
    );
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
    // Key and bucket policies the stack's template defines (created with it, or already there); others are read.
    ...(fromTemplate?.resourcePolicies ? { resourcePolicies: fromTemplate.resourcePolicies } : {}),
    unverifiable: [...(unverifiable ? [unverifiable] : []), ...inStack.unreadable],
  });
  const pending = (role?.identityPolicies ?? []).filter((p) => p.origin !== undefined).map((p) => p.document);
  return {
    subject,
    units: [{ id: logicalId, machines: 1, run: () => check(machine, backend.simulator(pending), backend) }],
  };
}

/**
 * The payload of a STACK or CHANGE_SET request: a presigned URL to `{template, previousTemplate}` or
 * `{template, changedResources}` (lambda-hooks-create-lambda-function.html). Without a template nothing can be
 * checked, which must never pass.
 */
async function payloadTemplate(request: HookRequest, target: string, backend: Backend): Promise<string> {
  const payloadUrl = request.requestData?.payload;
  if (typeof payloadUrl !== 'string' || payloadUrl === '')
    throw new Error(`the ${target} request has no requestData.payload URL, so there is no template to check`);
  let payload: unknown;
  try {
    payload = JSON.parse(await backend.fetchPayload(payloadUrl));
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`the ${target} payload is not JSON (${error.message})`);
    throw error;
  }
  const template = isRecord(payload) ? (payload as StackPayload).template : undefined;
  if (typeof template !== 'string' || template.trim() === '')
    throw new Error(`the ${target} payload has no "template" (a non-empty string), so there is nothing to check`);
  return template;
}

async function stackPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const stack = stackContextOf(request);
  const template = await payloadTemplate(request, target, backend);
  const subject = `${target === 'STACK' ? 'stack' : 'change set of'} ${stack.stackName}`;
  const ids = await physicalIdsOf(stack, backend);
  const machines = await analyzeDocumentWithBackend(
    parseDocumentText(template, stack.stackName),
    { ...stack, physicalIds: ids.physicalIds },
    backend,
  );
  if (machines.length === 0) return { subject, units: [], skip: `${subject} defines no state machine.` };
  for (const machine of machines) machine.unverifiable.push(...ids.unreadable);
  const simulator = new EmbeddedSimulator();
  // One unit per execution role (see byRole).
  return {
    subject,
    units: byRole(machines).map((group) => ({
      id: (group[0] as StateMachineModel).id,
      machines: group.length,
      run: () => check(group, simulator, backend),
    })),
  };
}

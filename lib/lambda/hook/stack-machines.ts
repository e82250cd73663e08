// What every hook plan shares: units of work, the stack's machines as the stack (or change set) will have them,
// and one machine's check. A read the account refuses is unverifiable for the machines it touches.
import { parseDocumentText, type LoadedDocument } from '../../cfn/load';
import { liveResourcePolicies } from '../../checks/resource-side';
import { checkStateMachines } from '../../checks/analyze';
import type { Finding } from '../../checks/types';
import { guardedBucketKey } from '../../inputs/bucket-keys';
import { analyzeDocumentWithBackend } from '../../inputs/stack';
import { isRecord } from '../../model/json';
import { parseStackId, type StackContext } from '../../model/stack';
import type { StateMachineModel, Unverifiable } from '../../model/state-machine';
import { UnreadableError, type Backend } from '../../ports/backend';
import type { Simulator } from '../../ports/simulator';
import type { HookRequest } from './contract';

export interface Unit {
  id: string;
  /** How many state machines it checks (those sharing a role are one unit). */
  machines: number;
  run(): Promise<Finding[]>;
}

/**
 * The machines grouped by execution role, in order: a shared role's grants are judged against the needs of every
 * machine on it (checked one by one, each would call grants over-broad that another machine needs).
 */
export function byRole(machines: StateMachineModel[]): StateMachineModel[][] {
  const groups = new Map<string, StateMachineModel[]>();
  for (const machine of machines) {
    const key = machine.role ? `role ${machine.role.arn}` : `machine ${machine.id}`;
    const group = groups.get(key);
    if (group) group.push(machine);
    else groups.set(key, [machine]);
  }
  return [...groups.values()];
}

export interface Plan {
  subject: string;
  units: Unit[];
  /** Said when there is nothing to check. */
  skip?: string;
}

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

export function stackContextOf(request: HookRequest): StackContext {
  const context = parseStackId(request.stackId ?? '');
  if (!context) throw new Error(`stackId "${request.stackId ?? ''}" is not a CloudFormation stack ARN`);
  return context;
}

/** A read the account refused, as an Unverifiable entry; anything else is rethrown. */
export function unverifiableRead(error: unknown): Unverifiable {
  if (!(error instanceof UnreadableError)) throw error;
  return { subject: error.subject, reason: error.reason, remedy: error.remedy };
}

/** Physical ids of what exists, and what could not be read. */
export async function physicalIdsOf(
  stack: StackContext,
  backend: Backend,
): Promise<{ physicalIds: Record<string, string>; unreadable: Unverifiable[] }> {
  try {
    return { physicalIds: await backend.stackResources(stack.stackId), unreadable: [] };
  } catch (error) {
    return { physicalIds: {}, unreadable: [unverifiableRead(error)] };
  }
}

export interface StackRead {
  /** The template as parsed (undefined when there is none or it could not be read). */
  doc?: LoadedDocument;
  /** Physical ids of the resources that exist, by logical id. */
  physicalIds: Record<string, string>;
  /** Reads the account refused: they touch every machine of the stack. */
  unreadable: Unverifiable[];
}

/** The stack's template (the change set's when the request names one) and what of it exists, read once. */
export async function readStack(request: HookRequest, stack: StackContext, backend: Backend): Promise<StackRead> {
  const unreadable: Unverifiable[] = [];
  let text: string | undefined;
  try {
    const changeSetId =
      typeof request.changeSetId === 'string' && request.changeSetId !== '' ? request.changeSetId : '';
    // During a change set's execution the stack's template is still the old one; the change set has the new.
    text =
      (changeSetId !== '' ? await backend.changeSetTemplate(stack.stackId, changeSetId) : undefined) ??
      (await backend.stackTemplate(stack.stackId));
  } catch (error) {
    unreadable.push(unverifiableRead(error));
  }
  if (text === undefined) return { physicalIds: {}, unreadable };
  const ids = await physicalIdsOf(stack, backend);
  return {
    doc: parseDocumentText(text, stack.stackName),
    physicalIds: ids.physicalIds,
    unreadable: [...unreadable, ...ids.unreadable],
  };
}

/**
 * The machines of the stack as read, with their roles as they will be (including policies the stack attaches
 * later), and `replace` standing in for one resource's properties.
 */
export async function stackMachines(
  read: StackRead,
  stack: StackContext,
  backend: Backend,
  replace?: { logicalId: string; properties: Record<string, unknown> },
): Promise<StateMachineModel[]> {
  if (read.doc === undefined) return [];
  const analysed: LoadedDocument = replace ? { ...read.doc, value: replaced(read.doc.value, replace) } : read.doc;
  const machines = await analyzeDocumentWithBackend(analysed, { ...stack, physicalIds: read.physicalIds }, backend);
  for (const machine of machines) machine.unverifiable.push(...read.unreadable);
  return machines;
}

/** A copy of the template with one resource's properties replaced (the original is compared against). */
function replaced(template: unknown, replace: { logicalId: string; properties: Record<string, unknown> }): unknown {
  if (!isRecord(template) || !isRecord(template.Resources)) return template;
  const resources: Record<string, unknown> = Object.create(null);
  for (const [id, resource] of Object.entries(template.Resources))
    resources[id] =
      id === replace.logicalId && isRecord(resource) ? { ...resource, Properties: replace.properties } : resource;
  return { ...template, Resources: resources };
}

/**
 * State machines judged together by `simulator` (those sharing a role: its grants are judged against all their
 * needs); the keys of the buckets their needs name are asked of the account.
 */
export async function check(
  machines: StateMachineModel | StateMachineModel[],
  simulator: Simulator,
  backend: Backend,
): Promise<Finding[]> {
  const list = Array.isArray(machines) ? machines : [machines];
  return (
    await checkStateMachines(list, {
      simulator,
      bucketKey: guardedBucketKey(backend, list),
      resourcePolicy: liveResourcePolicies(backend),
    })
  ).findings;
}

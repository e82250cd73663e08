// An IAM resource a state machine's role depends on: the machines of the stack whose role it is, or is attached
// to (by logical id: Roles, RoleName, ManagedPolicyArns), checked with the proposed properties. On UPDATE, with
// previousResourceProperties, only what the change makes worse fails: failing findings the machine already had
// with the previous properties become warnings (a tag-only update of a non-compliant machine's role passes).
import type { Finding } from '../../checks/types';
import { own, textOf } from '../../model/json';
import type { RoleModel, StateMachineModel } from '../../model/state-machine';
import { EmbeddedSimulator } from '../../offline/simulator';
import type { Backend } from '../../ports/backend';
import type { HookRequest } from './contract';
import {
  byRole,
  check,
  coerceScalars,
  stackContextOf,
  stackMachines,
  readStack,
  type Plan,
  type Unit,
} from './stack-machines';

export const IAM_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::ManagedPolicy',
]);

/** Role names a proposed IAM resource attaches to, for roles outside the template. */
function attachedRoleNames(
  target: string,
  logicalId: string,
  props: Record<string, unknown>,
  physicalIds: Record<string, string>,
): Set<string> {
  if (target === 'AWS::IAM::Role')
    return new Set([typeof props.RoleName === 'string' ? props.RoleName : (own(physicalIds, logicalId) ?? '')]);
  if (target === 'AWS::IAM::RolePolicy') return new Set([textOf(props.RoleName ?? '')]);
  return new Set(Array.isArray(props.Roles) ? props.Roles.map(String) : []);
}

/** Whether `role` is the target, or has the target among its policies or as its boundary. */
function dependsOn(role: RoleModel, logicalId: string, roleNames: Set<string>): boolean {
  if (role.origin?.logicalId === logicalId) return true;
  const sources = [...role.identityPolicies, ...(role.boundary ? [role.boundary] : [])];
  if (sources.some((source) => source.origin?.logicalId === logicalId || source.id === logicalId)) return true;
  return roleNames.has(role.arn.split('/').pop() ?? '');
}

const findingKey = (f: Finding) =>
  JSON.stringify([f.rule, f.messageId, f.stateMachine, f.state, [...f.actions].sort(), [...f.resources].sort()]);

/** Failing findings the machine also had before the change: kept, as warnings that say so. */
export function onlyWhatGotWorse(proposed: Finding[], previous: Finding[]): Finding[] {
  const before = new Set(previous.filter((f) => f.severity === 'error').map(findingKey));
  return proposed.map((f) =>
    f.severity === 'error' && before.has(findingKey(f))
      ? { ...f, severity: 'warning', message: `${f.message} (already so before this change, which does not cause it)` }
      : f,
  );
}

export async function iamPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? '';
  const model = request.requestData?.targetModel;
  const props = coerceScalars(model?.resourceProperties ?? {}) as Record<string, unknown>;
  const previousProps = coerceScalars(model?.previousResourceProperties ?? {}) as Record<string, unknown>;
  const hasPrevious = Object.keys(previousProps).length > 0;
  const stack = stackContextOf(request);
  const subject = `${target} ${logicalId}`;
  const read = await readStack(request, stack, backend);
  // The proposed documents replace the current ones: judged with the embedded evaluator, since
  // SimulatePrincipalPolicy would still see the attached policies this change removes.
  const proposed = await stackMachines(read, stack, backend, { logicalId, properties: props });
  const previous = hasPrevious
    ? await stackMachines(read, stack, backend, { logicalId, properties: previousProps })
    : undefined;
  const affects = (roleNames: Set<string>) => (m: StateMachineModel) =>
    m.role !== undefined && dependsOn(m.role, logicalId, roleNames);
  const proposedNames = attachedRoleNames(target, logicalId, props, read.physicalIds);
  const previousNames = attachedRoleNames(target, logicalId, previousProps, read.physicalIds);
  // A change that detaches the resource from a role affects that role's machines too.
  const ids = new Set([
    ...proposed.filter(affects(proposedNames)).map((m) => m.id),
    ...(previous?.filter(affects(previousNames)).map((m) => m.id) ?? []),
  ]);
  const machines = proposed.filter((m) => ids.has(m.id));
  if (machines.length === 0) {
    if (read.doc === undefined && read.unreadable.length > 0)
      throw new Error(
        `${subject}: the stack's template, which says which state machines use it, could not be read (${read.unreadable
          .map((u) => `${u.reason}; ${u.remedy}`)
          .join('; ')})`,
      );
    return { subject, units: [], skip: `${subject} is used by no state machine of this stack.` };
  }
  const simulator = new EmbeddedSimulator();
  const units: Unit[] = byRole(machines).map((group) => {
    const before = group.flatMap((machine) => previous?.filter((m) => m.id === machine.id) ?? []);
    return {
      id: (group[0] as StateMachineModel).id,
      machines: group.length,
      run: async () => {
        const findings = await check(group, simulator, backend);
        return before.length > 0 ? onlyWhatGotWorse(findings, await check(before, simulator, backend)) : findings;
      },
    };
  });
  return { subject: `${subject} (used by ${machines.map((m) => m.id).join(', ')})`, units };
}

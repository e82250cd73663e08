// The concrete requests that prove a need, as the service would make them.
import type { AccessRequest } from '../iam';
import type { RoleModel, StateMachineModel } from '../model/state-machine';
import type { Need } from '../needs/types';

const SAMPLE = 'dmap-guard-sample';

/** A concrete ARN inside a need's pattern (execution:Name:* → execution:Name:dmap-guard-sample). */
export function sampleResource(pattern: string): string {
  return pattern === '*' ? '*' : pattern.replace(/\*/g, SAMPLE);
}

/** Context every request of this role carries: who calls, from which account, in which Region. */
export function baseContext(machine: StateMachineModel, role: RoleModel): Record<string, string[]> {
  return {
    'aws:PrincipalArn': [role.arn],
    'aws:PrincipalAccount': [machine.context.account],
    'aws:RequestedRegion': [machine.context.region],
  };
}

/** Every action on every resource of a need, with the context the service sends. */
export function needRequests(need: Need, machine: StateMachineModel, role: RoleModel): AccessRequest[] {
  const context = { ...baseContext(machine, role), ...need.context };
  return need.actions.flatMap((action) =>
    need.resources.map((resource) => ({ action, resource: sampleResource(resource), context })),
  );
}

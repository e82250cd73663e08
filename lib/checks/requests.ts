// The concrete requests that prove a need, with the context the calling service sends (lib/needs/context.ts).
import type { AccessRequest } from '../iam';
import type { RoleModel, StateMachineModel } from '../model/state-machine';
import { requestContext, sampleResource } from '../needs/context';
import type { Need } from '../needs/types';

export { sampleResource };

/** Context every request of this role carries: who calls, from which account, in which Region. */
export function baseContext(machine: StateMachineModel, role: RoleModel): Record<string, string[]> {
  return {
    'aws:PrincipalArn': [role.arn],
    'aws:PrincipalAccount': [machine.context.account],
    'aws:RequestedRegion': [machine.context.region],
  };
}

/** Every action on every resource of a need, with the context the service sends; `now` is the request time. */
export function needRequests(
  need: Need,
  machine: StateMachineModel,
  role: RoleModel,
  now: Date = new Date(),
): AccessRequest[] {
  const base = {
    machine: machine.context,
    principal: { arn: role.arn, ...(role.tags ? { tags: role.tags } : {}) },
    serviceContext: need.context ?? {},
    now,
  };
  return need.actions.flatMap((action) =>
    need.resources.map((pattern) => {
      const resource = sampleResource(pattern);
      const { context, missingKeys } = requestContext({ ...base, action, resource });
      return { action, resource, context, missingKeys };
    }),
  );
}

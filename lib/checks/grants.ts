// What a role grants for one action, whatever the resource: for needs whose resource is known only at run time.
import { actionMatches } from '../iam/match';
import type { RoleModel } from '../model/state-machine';
import { compileRole } from './role';

export interface Grant {
  resources: string;
  where: string;
}

export function grantsForAction(role: RoleModel, action: string): Grant[] {
  const grants: Grant[] = [];
  const { identity } = compileRole(role);
  for (const [index, source] of role.identityPolicies.entries()) {
    for (const statement of identity[index]?.statements ?? []) {
      if (statement.effect !== 'Allow') continue;
      const hit = statement.action
        ? statement.action.some((p) => actionMatches(p, action))
        : !(statement.notAction ?? []).some((p) => actionMatches(p, action));
      if (!hit) continue;
      grants.push({
        resources: statement.resource
          ? statement.resource.join(', ')
          : `everything but ${(statement.notResource ?? []).join(', ')}`,
        where: `${source.name}, statement ${statement.sid ?? `#${statement.index}`}`,
      });
    }
  }
  return grants;
}

// The least-privilege policy document that allows every need and nothing more.
import type { Need } from './types';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];
const single = (values: string[]): string | string[] => (values.length === 1 ? (values[0] as string) : values);

/**
 * Needs with the same Sid and conditions merge when they share resources (union of actions) and then
 * when they share actions (union of resources), so merging never grants an action on a resource no need asked for.
 */
export function leastPrivilegePolicy(needs: Need[]): PolicyDocument {
  interface Group {
    sid: string;
    conditions?: Need['conditions'];
    actions: string[];
    resources: string[];
  }
  const byResources = new Map<string, Group>();
  for (const need of needs) {
    const resources = unique(need.resources).sort();
    const key = JSON.stringify([need.sid, need.conditions ?? null, resources]);
    const group = byResources.get(key);
    if (group) group.actions = unique([...group.actions, ...need.actions]);
    else
      byResources.set(key, {
        sid: need.sid,
        ...(need.conditions ? { conditions: need.conditions } : {}),
        actions: [...need.actions],
        resources,
      });
  }
  const byActions = new Map<string, Group>();
  for (const group of byResources.values()) {
    const actions = unique(group.actions).sort();
    const key = JSON.stringify([group.sid, group.conditions ?? null, actions]);
    const existing = byActions.get(key);
    if (existing) existing.resources = unique([...existing.resources, ...group.resources]).sort();
    else byActions.set(key, { ...group, actions });
  }
  const used = new Map<string, number>();
  const statements: PolicyStatement[] = [];
  for (const group of byActions.values()) {
    const count = (used.get(group.sid) ?? 0) + 1;
    used.set(group.sid, count);
    const statement: PolicyStatement = {
      Sid: count === 1 ? group.sid : `${group.sid}${count}`,
      Effect: 'Allow',
      Action: single(group.actions),
      Resource: single(group.resources),
    };
    if (group.conditions) statement.Condition = group.conditions;
    statements.push(statement);
  }
  return { Version: '2012-10-17', Statement: statements };
}

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
  // Sets while merging, sorted once at the end: thousands of needs on one bucket stay linear.
  interface Group {
    sid: string;
    conditions?: Need['conditions'];
    actions: Set<string>;
    resources: Set<string>;
  }
  const byResources = new Map<string, Group>();
  for (const need of needs) {
    const resources = unique(need.resources).sort();
    const key = JSON.stringify([need.sid, need.conditions ?? null, resources]);
    const group = byResources.get(key);
    if (group) for (const action of need.actions) group.actions.add(action);
    else
      byResources.set(key, {
        sid: need.sid,
        ...(need.conditions ? { conditions: need.conditions } : {}),
        actions: new Set(need.actions),
        resources: new Set(resources),
      });
  }
  const byActions = new Map<string, Group & { sortedActions: string[] }>();
  for (const group of byResources.values()) {
    const sortedActions = [...group.actions].sort();
    const key = JSON.stringify([group.sid, group.conditions ?? null, sortedActions]);
    const existing = byActions.get(key);
    if (existing) for (const resource of group.resources) existing.resources.add(resource);
    else byActions.set(key, { ...group, resources: new Set(group.resources), sortedActions });
  }
  const used = new Map<string, number>();
  const statements: PolicyStatement[] = [];
  for (const group of byActions.values()) {
    const count = (used.get(group.sid) ?? 0) + 1;
    used.set(group.sid, count);
    const statement: PolicyStatement = {
      Sid: count === 1 ? group.sid : `${group.sid}${count}`,
      Effect: 'Allow',
      Action: single(group.sortedActions),
      Resource: single([...group.resources].sort()),
    };
    if (group.conditions) statement.Condition = group.conditions;
    statements.push(statement);
  }
  return { Version: '2012-10-17', Statement: statements };
}

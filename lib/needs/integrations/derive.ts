// Needs of one table row for one task: its grants, the roles it passes and the managed rule of `.sync`.
import { capitalise, need, type TaskScope } from '../task-scope';
import type { Need, UnmodeledIntegration } from '../types';
import { runtimeOf, type StringValue } from '../values';
import { readPath, resolveTemplate } from './templates';
import type { GrantSpec, IntegrationRow, PassRoleSpec } from './types';

export function sidOf(row: IntegrationRow, suffix = ''): string {
  const words = row.integration.replace(/^aws-sdk:/, '').split(/[^A-Za-z0-9]+/);
  return `${words.map(capitalise).join('')}${suffix}`;
}

/**
 * `Field` holds when the argument is given; `Field=VALUE` when it is given with that value. A value given at run
 * time may be it: 'runtime'.
 */
export function holds(args: unknown, condition: string): boolean | 'runtime' {
  const [path = '', expected] = condition.split('=');
  const values = readPath(args, path);
  if (values === undefined) return false;
  if (expected === undefined || values.some((v) => !v.runtime && v.value === expected)) return true;
  return values.some((v) => v.runtime) ? 'runtime' : false;
}

function grantNeed(scope: TaskScope, row: IntegrationRow, grant: GrantSpec): Need | undefined {
  const { args, ctx, argsField } = scope;
  const applies = grant.when === undefined ? true : holds(args, grant.when);
  if (applies === false) return undefined;
  const resolved = grant.resources.map((t) => resolveTemplate(t, args, ctx, row.defaults));
  const values: StringValue[] = resolved.flatMap((r) => r.values);
  const resources = [...new Set(resolved.flatMap((r) => r.resources))];
  if (resources.length === 0) return undefined;
  const context: Record<string, string[]> = {};
  const runtimeContext: StringValue[] = [];
  for (const [key, template] of Object.entries(grant.context ?? {})) {
    const value = resolveTemplate(template, args, ctx, row.defaults);
    // A context value known only at run time cannot be simulated: a policy conditioned on it is decided then.
    const later = value.values.filter((v) => v.runtime);
    if (later.length > 0) runtimeContext.push(...later);
    else context[key] = value.resources;
  }
  const field = values.find((v) => v.runtime)?.field ?? values[0]?.field ?? grant.when ?? 'Resource';
  const result = need(
    scope,
    {
      sid: grant.sid ?? sidOf(row),
      actions: grant.actions,
      resources,
      tier: grant.tier ?? 'required',
      why: { text: grant.why, docs: row.docs },
    },
    field === 'Resource' ? field : `${argsField}.${field}`,
    ...values,
    ...runtimeContext,
  );
  if (grant.runtime !== undefined) {
    result.runtime = true;
    result.runtimeExpression = grant.runtime;
  } else if (applies === 'runtime') {
    result.runtime = true;
    result.runtimeExpression = `${grant.when ?? ''}, given at run time`;
  }
  if (Object.keys(context).length > 0) {
    result.context = context;
    const like = new Set(grant.like ?? []);
    const equals = Object.entries(context).filter(([key]) => !like.has(key));
    const matches = Object.entries(context).filter(([key]) => like.has(key));
    result.conditions = {
      ...(equals.length > 0 ? { StringEquals: Object.fromEntries(equals) } : {}),
      ...(matches.length > 0 ? { StringLike: Object.fromEntries(matches) } : {}),
    };
  }
  return result;
}

/** iam:PassRole on a role the task hands to a service, scoped with iam:PassedToService as AWS recommends. */
export function passRoleNeed(scope: TaskScope, row: IntegrationRow, spec: PassRoleSpec): Need | undefined {
  const { args, ctx, argsField } = scope;
  const anyRole = `arn:${ctx.partition}:iam::${ctx.account}:role/*`;
  const why = {
    text: `The task passes this role to ${spec.service}; passing a role needs iam:PassRole on it.`,
    docs: row.docs,
  };
  const base = {
    sid: sidOf(row, 'PassRole'),
    actions: ['iam:PassRole'],
    why,
    conditions: { StringEquals: { 'iam:PassedToService': [spec.service] } },
    context: { 'iam:PassedToService': [spec.service] },
  };
  if (spec.hidden !== undefined) {
    const overridden = spec.overriddenBy?.every((field) => holds(args, field) === true) ?? false;
    if (overridden) return undefined;
    const definition = readPath(args, spec.field)?.[0];
    const expression = spec.hidden.replace(
      '{}',
      definition?.runtime === false ? definition.value : 'the task definition',
    );
    return {
      // Recommended: the run fails only if the task definition names roles, which the definition does not show.
      ...need(scope, { ...base, resources: [anyRole], tier: 'recommended' }, `${argsField}.${spec.field}`),
      ...runtimeOf({ value: '*', runtime: true, expression, field: spec.field }),
    };
  }
  const value = readPath(args, spec.field)?.[0];
  if (value === undefined) return undefined;
  if (spec.instanceProfile === true) {
    const expression = value.runtime ? (value.expression ?? spec.field) : `the role of instance profile ${value.value}`;
    return {
      ...need(scope, { ...base, resources: [anyRole] }, `${argsField}.${value.field}`),
      runtime: true,
      runtimeExpression: expression,
    };
  }
  const { resources } = resolveTemplate(`{${spec.field}|role}`, args, ctx);
  return need(scope, { ...base, resources }, `${argsField}.${value.field}`, value);
}

export function rowNeeds(scope: TaskScope, row: IntegrationRow): { needs: Need[]; unmodeled: UnmodeledIntegration[] } {
  const { ctx } = scope;
  const needs: Need[] = [];
  for (const grant of row.grants) {
    const derived = grantNeed(scope, row, grant);
    if (derived) needs.push(derived);
  }
  for (const spec of row.passRoles ?? []) {
    const derived = passRoleNeed(scope, row, spec);
    if (derived) needs.push(derived);
  }
  if (row.rule !== undefined) {
    needs.push(
      need(
        scope,
        {
          sid: row.ruleSid ?? sidOf(row, 'Events'),
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [`arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/${row.rule}`],
          why: {
            text: 'A .sync task learns that the job finished through this managed EventBridge rule, which Step Functions creates and updates with the execution role.',
            docs: row.docs,
          },
        },
        'Resource',
      ),
    );
  }
  const reason = row.unverifiable;
  const unverifiable = row.unverifiableWhen === undefined || holds(scope.args, row.unverifiableWhen) !== false;
  const unmodeled: UnmodeledIntegration[] =
    reason === undefined || !unverifiable
      ? []
      : [{ state: scope.state.path, resource: String(scope.state.body.Resource), reason }];
  return { needs, unmodeled };
}

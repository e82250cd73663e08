import { DOCS } from '../../needs/types';
import { grantsForAction } from '../grants';
import { evaluate } from '../../iam';
import { baseContext } from '../requests';
import { compileRole } from '../role';
import type { MachineAnalysis } from '../types';
import type { Need } from '../../needs/types';
import { sourceOf } from '../describe';
import { defineRule, type FindingDraft } from '../types';

export const runtimeResource = defineRule({
  id: 'runtime-resource',
  severity: 'warning',
  summary: 'A permission depends on a value known only at run time.',
  why: 'Paths, JSONata expressions and unresolved template values pick the bucket, key or function at run time, so no check before deployment can prove the role covers it; AWS asks you to scope the policy to what the path resolves to.',
  docs: DOCS.distributedMap,
  fix: 'Scope the grant to the buckets, keys or functions the expression can resolve to at run time, or make the value static.',
  tags: ['iam', 'runtime', 'unverified'],
  messages: {
    grantedOnUnreadable:
      '{{action}} on {{resources}} depends on {{expression}} ({{source}}); the role grants it on nothing dmap-guard can read, which covers the run only if the value resolves there.',
    grantedOn:
      '{{action}} on {{resources}} depends on {{expression}} ({{source}}); the role grants it on {{grants}}, which covers the run only if the value resolves there.',
  },
  fixes: { scopeRuntimeTarget: 'Scope {{action}} to what {{target}} resolves to at run time ({{docs}}).' },
  check(analysis) {
    const drafts: FindingDraft<'grantedOnUnreadable' | 'grantedOn', 'scopeRuntimeTarget'>[] = [];
    for (const result of analysis.needResults) {
      if (result.status !== 'runtime') continue;
      const { need } = result;
      for (const action of need.actions) {
        const grants = analysis.role ? grantsForAction(analysis.role, action) : [];
        // No grant at all on a fully known role is a plain missing permission (missing-permission reports it).
        if (analysis.role && analysis.role.unknown.length === 0 && grants.length === 0) continue;
        if (coversEveryValue(analysis, need, action)) continue;
        drafts.push({
          messageId: grants.length === 0 ? 'grantedOnUnreadable' : 'grantedOn',
          data: {
            action,
            resources: need.resources,
            expression: need.runtimeExpression ?? 'a run-time value',
            source: sourceOf(need),
            grants: grants.map((g) => `${g.resources} (${g.where})`).join('; '),
          },
          state: need.source.state,
          actions: [action],
          resources: need.resources,
          fix: 'scopeRuntimeTarget',
          fixData: { action, target: need.runtimeExpression ?? 'the value', docs: need.why.docs },
        });
      }
    }
    return drafts;
  },
});

/**
 * Stands for a run-time value in a need's resource: no policy pattern names it, so only a `*` of the pattern can
 * match it, and a `*` matches whatever the value turns out to be.
 */
const ANY_VALUE = '\u0000dmap-guard-run-time-value\u0000';

/** The fully known role allows the action whatever the run-time parts of the resource resolve to. */
function coversEveryValue(analysis: MachineAnalysis, need: Need, action: string): boolean {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return false;
  const context = { ...baseContext(analysis.machine, role), ...need.context };
  return need.resources.every(
    (pattern) =>
      evaluate(compileRole(role).set, { action, resource: pattern.replace(/\*/g, ANY_VALUE), context }).decision ===
      'allowed',
  );
}

import { DOCS } from '../../needs/types';
import { grantsForAction } from '../grants';
import { sourceOf } from '../describe';
import type { FindingDraft, Rule } from '../types';

export const runtimeResource: Rule = {
  id: 'runtime-resource',
  severity: 'warning',
  summary: 'A permission depends on a value known only at run time.',
  why: 'Paths, JSONata expressions and unresolved template values pick the bucket, key or function at run time, so no check before deployment can prove the role covers it; AWS asks you to scope the policy to what the path resolves to.',
  docs: DOCS.distributedMap,
  fix: 'Scope the grant to the buckets, keys or functions the expression can resolve to at run time, or make the value static.',
  check(analysis) {
    const drafts: FindingDraft[] = [];
    for (const result of analysis.needResults) {
      if (result.status !== 'runtime') continue;
      const { need } = result;
      for (const action of need.actions) {
        const grants = analysis.role ? grantsForAction(analysis.role, action) : [];
        // No grant at all on a fully known role is a plain missing permission (missing-permission reports it).
        if (analysis.role && analysis.role.unknown.length === 0 && grants.length === 0) continue;
        const granted =
          grants.length === 0
            ? 'the role grants it on nothing dmap-guard can read'
            : `the role grants it on ${grants.map((g) => `${g.resources} (${g.where})`).join('; ')}`;
        drafts.push({
          state: need.source.state,
          action,
          resource: need.resources.join(', '),
          message: `${action} on ${need.resources.join(', ')} depends on ${need.runtimeExpression ?? 'a run-time value'} (${sourceOf(need)}); ${granted}, which covers the run only if the value resolves there.`,
          fix: `Scope ${action} to what ${need.runtimeExpression ?? 'the value'} resolves to at run time (${need.why.docs}).`,
        });
      }
    }
    return drafts;
  },
};

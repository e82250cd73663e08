import { DOCS } from '../../needs/types';
import { firstFailure, sourceOf, statementFix } from '../describe';
import { grantsForAction } from '../grants';
import { resourcePolicyFix } from '../resource-access';
import { defineRule, type FindingDraft, type MachineAnalysis } from '../types';

/** Messages of a denied need, shared by missing-permission and missing-recommended-permission. */
export const DENIED_NEED_MESSAGES = {
  notAllowed: '{{actions}} on {{resources}} is not allowed: {{reason}}. Needed by {{source}}: {{why}} ({{docs}})',
} as const;
export const DENIED_NEED_FIXES = {
  addStatement: 'Add to the execution role:\n{{statement}}',
  addToKeyPolicy: 'Add to the key policy of {{resource}}:\n{{statement}}',
  addToBucketPolicy: 'Add to the bucket policy of {{resource}}:\n{{statement}}',
  resourcePolicyDenies:
    'Change {{statement}} of the policy of {{resource}} so it does not deny the execution role {{role}} (Step Functions calls S3 from its own network, never through your VPC endpoint; exempt the role with an aws:PrincipalArn condition).',
} as const;

type DeniedNeedDraft = FindingDraft<keyof typeof DENIED_NEED_MESSAGES, keyof typeof DENIED_NEED_FIXES>;

/** Needs of one tier the role denies: every failing action is named; the reason is the first failure's. */
export function deniedNeedFindings(analysis: MachineAnalysis, tier: 'required' | 'recommended'): DeniedNeedDraft[] {
  const drafts: DeniedNeedDraft[] = [];
  for (const result of analysis.needResults) {
    if (result.need.tier !== tier || result.status !== 'denied') continue;
    const failure = firstFailure(result);
    if (!failure) continue;
    // Requests whose outcome is unknown are reported by unverifiable, not as missing.
    const failing = [
      ...new Set(
        result.results
          .filter((r) => r.evaluation.decision === 'explicitDeny' || r.evaluation.decision === 'implicitDeny')
          .map((r) => r.request.action),
      ),
    ];
    const { need } = result;
    const gap = resourcePolicyFix(result.results.filter((r) => failing.includes(r.request.action)));
    const fix = statementFix([need]);
    drafts.push({
      messageId: 'notAllowed',
      data: {
        actions: failing,
        resources: need.resources,
        reason: failure.reason,
        source: sourceOf(need),
        why: need.why.text,
        docs: need.why.docs,
      },
      state: need.source.state,
      actions: failing,
      resources: need.resources,
      // A resource-policy gap is fixed in the key or bucket policy; the role's own gap by a statement to paste.
      ...(gap ?? { fix: 'addStatement' as const, fixData: { statement: fix.snippet }, fixStatements: fix.statements }),
    });
  }
  return drafts;
}

export const missingPermission = defineRule({
  id: 'missing-permission',
  severity: 'error',
  summary: 'The execution role does not allow a permission the definition requires.',
  why: 'Step Functions makes these calls with the execution role; without them the Map Run fails (States.ItemReaderFailed, States.ResultWriterFailed, AccessDenied on StartExecution) or the deployment is rejected.',
  docs: DOCS.distributedMap,
  fix: 'Add the least-privilege statement shown with the finding to the role.',
  tags: ['iam', 'distributed-map', 'required'],
  messages: {
    ...DENIED_NEED_MESSAGES,
    grantedNowhere:
      '{{action}} is needed on {{resources}} ({{expression}}, {{source}}), and the role grants it on no resource at all, so the call fails whatever the value is. {{why}}',
  },
  fixes: {
    ...DENIED_NEED_FIXES,
    grantRuntimeTarget: 'Grant {{action}} on what {{target}} resolves to at run time ({{docs}}).',
  },
  check: (analysis) => [...deniedNeedFindings(analysis, 'required'), ...grantedNowhereFindings(analysis)],
});

/** A run-time need the role grants on no resource at all fails whatever the value resolves to. */
function grantedNowhereFindings(analysis: MachineAnalysis): FindingDraft<'grantedNowhere', 'grantRuntimeTarget'>[] {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return [];
  const drafts: FindingDraft<'grantedNowhere', 'grantRuntimeTarget'>[] = [];
  for (const result of analysis.needResults) {
    if (result.status !== 'runtime' || result.need.tier !== 'required') continue;
    const { need } = result;
    for (const action of need.actions) {
      if (grantsForAction(role, action).length > 0) continue;
      drafts.push({
        messageId: 'grantedNowhere',
        data: {
          action,
          resources: need.resources,
          expression: need.runtimeExpression ?? 'a run-time value',
          source: sourceOf(need),
          why: need.why.text,
        },
        state: need.source.state,
        actions: [action],
        resources: need.resources,
        fix: 'grantRuntimeTarget',
        fixData: { action, target: need.runtimeExpression ?? 'the value', docs: need.why.docs },
      });
    }
  }
  return drafts;
}

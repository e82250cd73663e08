import { DOCS } from '../../needs/types';
import { firstFailure, sourceOf, statementSnippet } from '../describe';
import { grantsForAction } from '../grants';
import type { FindingDraft, MachineAnalysis, Rule, Severity } from '../types';

/** Shared by missing-permission (required needs) and missing-recommended-permission (recommended needs). */
export function missingFindings(analysis: MachineAnalysis, tier: 'required' | 'recommended'): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const result of analysis.needResults) {
    if (result.need.tier !== tier || result.status !== 'denied') continue;
    const failure = firstFailure(result);
    if (!failure) continue;
    // Requests whose outcome is unknown are reported by unverifiable-policy, not as missing.
    const failing = result.results
      .filter((r) => r.evaluation.decision === 'explicitDeny' || r.evaluation.decision === 'implicitDeny')
      .map((r) => r.request.action);
    drafts.push({
      state: result.need.source.state,
      action: [...new Set(failing)].join(', '),
      resource: result.need.resources.join(', '),
      message: `${failure.action} on ${result.need.resources.join(', ')} is not allowed: ${failure.reason}. Needed by ${sourceOf(result.need)}: ${result.need.why.text} (${result.need.why.docs})`,
      fix: `Add to the execution role:\n${statementSnippet([result.need])}`,
    });
  }
  return drafts;
}

export const missingPermission: Rule = {
  id: 'missing-permission',
  severity: 'error' satisfies Severity,
  summary: 'The execution role does not allow a permission the definition requires.',
  why: 'Step Functions makes these calls with the execution role; without them the Map Run fails (States.ItemReaderFailed, States.ResultWriterFailed, AccessDenied on StartExecution) or the deployment is rejected.',
  docs: DOCS.distributedMap,
  fix: 'Add the least-privilege statement shown with the finding to the role.',
  check: (analysis) => [...missingFindings(analysis, 'required'), ...grantlessRuntimeFindings(analysis)],
};

/** A run-time need the role grants on no resource at all fails whatever the value resolves to. */
function grantlessRuntimeFindings(analysis: MachineAnalysis): FindingDraft[] {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return [];
  const drafts: FindingDraft[] = [];
  for (const result of analysis.needResults) {
    if (result.status !== 'runtime' || result.need.tier !== 'required') continue;
    for (const action of result.need.actions) {
      if (grantsForAction(role, action).length > 0) continue;
      drafts.push({
        state: result.need.source.state,
        action,
        resource: result.need.resources.join(', '),
        message: `${action} is needed on ${result.need.resources.join(', ')} (${result.need.runtimeExpression ?? 'a run-time value'}, ${sourceOf(result.need)}), and the role grants it on no resource at all, so the call fails whatever the value is. ${result.need.why.text}`,
        fix: `Grant ${action} on what ${result.need.runtimeExpression ?? 'the value'} resolves to at run time (${result.need.why.docs}).`,
      });
    }
  }
  return drafts;
}

import { DOCS } from '../../needs/types';
import { defineRule, type MachineAnalysis, type NeedResult } from '../types';
import { DENIED_NEED_FIXES, DENIED_NEED_MESSAGES, deniedNeedFindings } from './missing-permission';

export const missingRecommendedPermission = defineRule({
  id: 'missing-recommended-permission',
  severity: 'warning',
  summary: 'The execution role does not allow a permission AWS recommends for this definition.',
  why: 'Without it some operations fail later: redriving a Map Run (RedriveExecution), stopping child executions (StopExecution), or completing multipart result uploads.',
  docs: DOCS.distributedMap,
  fix: 'Add the least-privilege statement shown with the finding, or suppress the finding with a reason if the operation is never used.',
  tags: ['iam', 'distributed-map', 'recommended'],
  messages: DENIED_NEED_MESSAGES,
  fixes: DENIED_NEED_FIXES,
  check: (analysis) =>
    deniedNeedFindings(
      { ...analysis, needResults: analysis.needResults.filter((result) => !servedByAlternative(analysis, result)) },
      'recommended',
    ),
});

/**
 * A recommended need is served by an optional need of the same statement (sid) that the role allows for each of its
 * actions: Describe/Stop on execution:<name>/* (the child executions' own ARNs) serves execution:<name>:*.
 */
function servedByAlternative(analysis: MachineAnalysis, result: NeedResult): boolean {
  return result.need.actions.every((action) =>
    analysis.needResults.some(
      (other) =>
        other.need.tier === 'optional' &&
        other.need.sid === result.need.sid &&
        other.status === 'allowed' &&
        other.need.actions.includes(action),
    ),
  );
}

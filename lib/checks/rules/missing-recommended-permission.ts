import { DOCS } from '../../needs/types';
import { defineRule } from '../types';
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
  check: (analysis) => deniedNeedFindings(analysis, 'recommended'),
});

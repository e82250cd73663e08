import { DOCS } from '../../needs/types';
import type { Rule } from '../types';
import { missingFindings } from './missing-permission';

export const missingRecommendedPermission: Rule = {
  id: 'missing-recommended-permission',
  severity: 'warning',
  summary: 'The execution role does not allow a permission AWS recommends for this definition.',
  why: 'Without it some operations fail later: redriving a Map Run (RedriveExecution), stopping child executions (StopExecution), or completing multipart result uploads.',
  docs: DOCS.distributedMap,
  fix: 'Add the least-privilege statement shown with the finding, or suppress the finding with a reason if the operation is never used.',
  check: (analysis) => missingFindings(analysis, 'recommended'),
};

import { unknownNeedActionDrafts } from '../catalogue-checks';
import { DOCS } from '../../needs/types';
import type { Rule } from '../types';

export const unmodeledIntegration: Rule = {
  id: 'unmodeled-integration',
  severity: 'warning',
  summary: 'A task uses an integration whose permissions dmap-guard cannot derive or check.',
  why: 'The role may lack what the task needs, and nothing before deployment proves it has it: the integration is not in the Step Functions integration table, or it is authorised outside the execution role (Kubernetes RBAC, an API resource policy).',
  docs: DOCS.integrations,
  fix: "Check the integration's IAM policy in the Step Functions documentation by hand, or suppress the finding with the reason once checked.",
  check: (analysis) => [
    ...analysis.needs.unmodeled.map((task) => ({
      state: task.state,
      resource: task.resource,
      message: `${task.resource} is not checked: ${task.reason}.`,
    })),
    ...unknownNeedActionDrafts(analysis, analysis.catalogue),
  ],
};

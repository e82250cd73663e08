import { DOCS } from '../../needs/types';
import type { Rule } from '../types';

export const unmodeledIntegration: Rule = {
  id: 'unmodeled-integration',
  severity: 'info',
  summary: 'A task uses an integration whose permissions dmap-guard does not derive.',
  why: "The task's permissions are not part of the check; they are neither required nor judged as over-broad.",
  docs: DOCS.integrations,
  fix: "Check the integration's IAM policy in the Step Functions documentation by hand.",
  check: (analysis) =>
    analysis.needs.unmodeled.map((task) => ({
      state: task.state,
      resource: task.resource,
      message: `dmap-guard does not know the permissions of ${task.resource}; they were not checked.`,
    })),
};

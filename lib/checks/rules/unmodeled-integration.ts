import { DOCS } from '../../needs/types';
import { defineRule } from '../types';

export const unmodeledIntegration = defineRule({
  id: 'unmodeled-integration',
  severity: 'info',
  summary: 'A task uses an integration whose permissions dmap-guard does not derive.',
  why: "The task's permissions are not part of the check; they are neither required nor judged as over-broad.",
  docs: DOCS.integrations,
  fix: "Check the integration's IAM policy in the Step Functions documentation by hand.",
  tags: ['iam', 'integrations', 'unverified'],
  messages: { notModeled: 'dmap-guard does not know the permissions of {{resource}}; they were not checked.' },
  check: (analysis) =>
    analysis.needs.unmodeled.map((task) => ({
      messageId: 'notModeled' as const,
      data: { resource: task.resource },
      state: task.state,
      resources: [task.resource],
    })),
});

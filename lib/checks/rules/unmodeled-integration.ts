import { unknownNeedActionDrafts } from '../catalogue-checks';
import { grantsForAction } from '../grants';
import { DOCS } from '../../needs/types';
import { defineRule, type FindingDraft, type MachineAnalysis } from '../types';

type MessageId = 'notChecked' | 'ungrantedIfExists' | 'unknownNeedAction';
type FixId = 'grantIfExists';

export const unmodeledIntegration = defineRule<MessageId, FixId>({
  id: 'unmodeled-integration',
  severity: 'warning',
  summary: 'A task uses an integration whose permissions dmap-guard cannot derive or check.',
  why: 'The role may lack what the task needs, and nothing before deployment proves it has it: the integration is not in the Step Functions integration table, it is authorised outside the execution role (Kubernetes RBAC, an API resource policy), or it depends on resources the definition does not show (the roles of an ECS task definition).',
  docs: DOCS.integrations,
  fix: "Check the integration's IAM policy in the Step Functions documentation by hand, or suppress the finding with the reason once checked.",
  tags: ['iam', 'integrations', 'unverified'],
  messages: {
    notChecked: '{{resource}} is not checked: {{reason}}.',
    ungrantedIfExists:
      '{{action}} on {{expression}} cannot be checked, and the role grants {{action}} on nothing: the task fails if they exist. {{why}}',
    unknownNeedAction:
      "{{state}} needs {{action}} by dmap-guard's reading of the call, but the Service Authorization Reference has no such action, so the call's permission is not checked.",
  },
  fixes: { grantIfExists: 'If they exist, grant {{action}} on them{{conditions}} ({{docs}}).' },
  check: (analysis) => [
    ...analysis.needs.unmodeled.map((task): FindingDraft<MessageId, FixId> => ({
      messageId: 'notChecked',
      data: { resource: task.resource, reason: task.reason },
      state: task.state,
      resources: [task.resource],
    })),
    ...ungrantedConditionalNeeds(analysis),
    ...unknownNeedActionDrafts(analysis, analysis.catalogue),
  ],
});

/**
 * A recommended need on a run-time value the role grants on nothing (iam:PassRole for the roles of an ECS task
 * definition): the task fails if the value exists, and the definition does not say whether it does.
 */
function ungrantedConditionalNeeds(analysis: MachineAnalysis): FindingDraft<MessageId, FixId>[] {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return [];
  return analysis.needResults
    .filter((r) => r.status === 'runtime' && r.need.tier === 'recommended')
    .flatMap(({ need }) =>
      need.actions
        .filter((action) => grantsForAction(role, action).length === 0)
        .map((action): FindingDraft<MessageId, FixId> => ({
          messageId: 'ungrantedIfExists',
          data: { action, expression: need.runtimeExpression ?? 'a run-time value', why: need.why.text },
          state: need.source.state,
          actions: [action],
          resources: need.resources,
          fix: 'grantIfExists',
          fixData: {
            action,
            conditions: need.conditions ? ` with ${JSON.stringify(need.conditions)}` : '',
            docs: need.why.docs,
          },
        })),
    );
}

import { unknownNeedActionDrafts } from '../catalogue-checks';
import { grantsForAction } from '../grants';
import { DOCS } from '../../needs/types';
import type { FindingDraft, MachineAnalysis, Rule } from '../types';

export const unmodeledIntegration: Rule = {
  id: 'unmodeled-integration',
  severity: 'warning',
  summary: 'A task uses an integration whose permissions dmap-guard cannot derive or check.',
  why: 'The role may lack what the task needs, and nothing before deployment proves it has it: the integration is not in the Step Functions integration table, it is authorised outside the execution role (Kubernetes RBAC, an API resource policy), or it depends on resources the definition does not show (the roles of an ECS task definition).',
  docs: DOCS.integrations,
  fix: "Check the integration's IAM policy in the Step Functions documentation by hand, or suppress the finding with the reason once checked.",
  check: (analysis) => [
    ...analysis.needs.unmodeled.map((task) => ({
      state: task.state,
      resource: task.resource,
      message: `${task.resource} is not checked: ${task.reason}.`,
    })),
    ...ungrantedConditionalNeeds(analysis),
    ...unknownNeedActionDrafts(analysis, analysis.catalogue),
  ],
};

/**
 * A recommended need on a run-time value the role grants on nothing (iam:PassRole for the roles of an ECS task
 * definition): the task fails if the value exists, and the definition does not say whether it does.
 */
function ungrantedConditionalNeeds(analysis: MachineAnalysis): FindingDraft[] {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return [];
  return analysis.needResults
    .filter((r) => r.status === 'runtime' && r.need.tier === 'recommended')
    .flatMap(({ need }) =>
      need.actions
        .filter((action) => grantsForAction(role, action).length === 0)
        .map((action) => ({
          state: need.source.state,
          action,
          resource: need.resources.join(', '),
          message: `${action} on ${need.runtimeExpression ?? 'a run-time value'} cannot be checked, and the role grants ${action} on nothing: the task fails if they exist. ${need.why.text}`,
          fix: `If they exist, grant ${action} on them${need.conditions ? ` with ${JSON.stringify(need.conditions)}` : ''} (${need.why.docs}).`,
        })),
    );
}

// What the needs derivation could not model, for the unverifiable rule: integrations outside the Step Functions
// table or authorised outside the execution role, recommended needs on run-time values the role grants on
// nothing, and derived actions the IAM catalogue does not know. Each says what could not be checked and why.
import { unknownNeedActionDrafts } from './catalogue-checks';
import { grantsForAction } from './grants';
import type { FindingDraft, MachineAnalysis } from './types';

export type UnmodeledMessageId = 'notChecked' | 'ungrantedIfExists' | 'unknownNeedAction';
export type UnmodeledFixId = 'grantIfExists';

export const UNMODELED_MESSAGES: Record<UnmodeledMessageId, string> = {
  notChecked: '{{resource}} is not checked: {{reason}}.',
  ungrantedIfExists:
    '{{action}} on {{expression}} cannot be checked, and the role grants {{action}} on nothing: the task fails if they exist. {{why}}',
  unknownNeedAction:
    "{{state}} needs {{action}} by dmap-guard's reading of the call, but the Service Authorization Reference has no such action, so the call's permission is not checked.",
};
export const UNMODELED_FIXES: Record<UnmodeledFixId, string> = {
  grantIfExists: 'If they exist, grant {{action}} on them{{conditions}} ({{docs}}).',
};

export function unmodeledDrafts(analysis: MachineAnalysis): FindingDraft<UnmodeledMessageId, UnmodeledFixId>[] {
  return [
    ...analysis.needs.unmodeled.map((task): FindingDraft<UnmodeledMessageId, UnmodeledFixId> => ({
      messageId: 'notChecked',
      data: { resource: task.resource, reason: task.reason },
      state: task.state,
      resources: [task.resource],
    })),
    ...ungrantedConditionalNeeds(analysis),
    ...unknownNeedActionDrafts(analysis, analysis.catalogue),
  ];
}

/**
 * A recommended need on a run-time value the role grants on nothing (iam:PassRole for the roles of an ECS task
 * definition): the task fails if the value exists, and the definition does not say whether it does.
 */
function ungrantedConditionalNeeds(analysis: MachineAnalysis): FindingDraft<UnmodeledMessageId, UnmodeledFixId>[] {
  const role = analysis.role;
  if (!role || role.unknown.length > 0) return [];
  return analysis.needResults
    .filter((r) => r.status === 'runtime' && r.need.tier === 'recommended')
    .flatMap(({ need }) =>
      need.actions
        .filter((action) => grantsForAction(role, action).length === 0)
        .map((action): FindingDraft<UnmodeledMessageId, UnmodeledFixId> => ({
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

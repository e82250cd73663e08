import { sourceOf } from '../describe';
import { defineRule, type FindingDraft } from '../types';

type MessageId = 'roleUnresolved' | 'roleUnreadable' | 'policiesUnreadable' | 'needUnproven';

export const unverifiablePolicy = defineRule({
  id: 'unverifiable-policy',
  severity: 'warning',
  summary: "The role's permissions cannot be fully known, so a pass cannot be proven.",
  why: 'The role or some of its policies are defined outside the template (an external role, an AWS managed policy, a policy template dmap-guard does not model). dmap-guard never reports a pass it did not prove.',
  docs: 'https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html',
  fix: 'Pass --snapshot with the output of `aws iam get-account-authorization-details`, or run dmap-guard audit against the account.',
  tags: ['iam', 'unverified'],
  messages: {
    roleUnresolved: 'The execution role ({{role}}) cannot be resolved, so none of the {{needs}} needs can be checked.',
    roleUnreadable: 'Role {{role}} cannot be read ({{unknown}}), so none of the {{needs}} needs can be checked.',
    policiesUnreadable:
      'Role {{role}} has permissions dmap-guard cannot read: {{unknown}}. Grants in them are neither credited nor judged.',
    needUnproven:
      'Cannot prove {{tier}} {{actions}} on {{resources}} ({{source}}): the policies dmap-guard can read do not allow it, and the unread ones might.',
  },
  check(analysis): FindingDraft<MessageId>[] {
    const { role, machine } = analysis;
    const needs = analysis.needResults.length;
    if (!role) {
      return [{ messageId: 'roleUnresolved', data: { role: machine.roleReference ?? 'unknown', needs } }];
    }
    if (role.unknown.length === 0) return [];
    const unknown = role.unknown.join('; ');
    if (role.identityPolicies.length === 0) {
      return [{ messageId: 'roleUnreadable', data: { role: role.arn, unknown, needs }, resources: [role.arn] }];
    }
    const drafts: FindingDraft<MessageId>[] = [
      { messageId: 'policiesUnreadable', data: { role: role.arn, unknown }, resources: [role.arn] },
    ];
    for (const result of analysis.needResults) {
      if (result.status !== 'unproven' || result.need.tier === 'optional') continue;
      const { need } = result;
      drafts.push({
        messageId: 'needUnproven',
        data: { tier: need.tier, actions: need.actions, resources: need.resources, source: sourceOf(need) },
        state: need.source.state,
        actions: need.actions,
        resources: need.resources,
      });
    }
    return drafts;
  },
});

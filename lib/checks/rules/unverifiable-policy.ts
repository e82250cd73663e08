import { sourceOf } from '../describe';
import type { MachineAnalysis } from '../types';
import { defineRule, type FindingDraft } from '../types';

type MessageId =
  'roleUnresolved' | 'roleUnreadable' | 'policiesUnreadable' | 'needUnproven' | 'needUndecided' | 'resourceUndecided';
type FixId = 'undecided' | 'resourcePolicy';

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
    needUndecided:
      'Cannot decide {{tier}} {{actions}} on {{resources}} ({{source}}): {{reasons}}, a value dmap-guard cannot know for the requests Step Functions makes.',
    resourceUndecided: 'Cannot decide {{tier}} {{actions}} on {{resources}} ({{source}}): {{reasons}}.',
  },
  fixes: {
    undecided:
      'Make the condition hold without that key (for example with an ...IfExists operator), or verify the call in the account (dmap-guard audit, or the Map Run itself).',
    resourcePolicy:
      'Pass the key or bucket policy with --resource-policies (README "Resource policies": aws kms get-key-policy, aws s3api get-bucket-policy), or check in the account (dmap-guard audit, the hook), which reads it.',
  },
  check(analysis): FindingDraft<MessageId, FixId>[] {
    return [...unreadRoleFindings(analysis), ...undecidedContextFindings(analysis)];
  },
});

function unreadRoleFindings(analysis: MachineAnalysis): FindingDraft<MessageId, FixId>[] {
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
  const drafts: FindingDraft<MessageId, FixId>[] = [
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
}

/** Where a statement's condition or variables need a context key dmap-guard cannot know: name them. */
function undecidedContextFindings(analysis: MachineAnalysis): FindingDraft<MessageId, FixId>[] {
  const drafts: FindingDraft<MessageId, FixId>[] = [];
  for (const result of analysis.needResults) {
    if (result.status !== 'unknown' || result.need.tier === 'optional') continue;
    const undecided = result.results.filter((r) => r.evaluation.decision === 'unknown');
    const resourceReasons = [...new Set(undecided.flatMap((r) => (r.resource?.unknown ? [r.resource.unknown] : [])))];
    const statements = new Map<string, Set<string>>();
    for (const { evaluation } of undecided)
      for (const statement of evaluation.unknown ?? []) {
        // Key and bucket policy statements are in the resource reasons.
        if (statement.layer === 'resource') continue;
        const name = `${statement.effect} ${statement.sid !== undefined ? `statement ${statement.sid}` : statement.index >= 0 ? `statement #${statement.index}` : 'statement'} of ${statement.policyId}${statement.layer === 'identity' ? '' : ` (${statement.layer === 'scp' ? 'SCP' : 'permissions boundary'})`}`;
        const keys = statements.get(name) ?? new Set<string>();
        for (const key of statement.keys) keys.add(key);
        statements.set(name, keys);
      }
    const reasons = [...statements].map(([name, keys]) =>
      keys.size > 0 ? `${name} depends on ${[...keys].join(', ')}` : name,
    );
    const actions = [...new Set(undecided.map((r) => r.request.action))];
    const { need } = result;
    const resourceSide = resourceReasons.length > 0;
    drafts.push({
      messageId: resourceSide ? 'resourceUndecided' : 'needUndecided',
      data: {
        tier: need.tier,
        actions,
        resources: need.resources,
        source: sourceOf(need),
        reasons: [...resourceReasons, ...reasons].join('; '),
      },
      state: need.source.state,
      actions,
      resources: need.resources,
      fix: resourceSide ? 'resourcePolicy' : 'undecided',
    });
  }
  return drafts;
}

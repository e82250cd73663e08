import { sourceOf } from '../describe';
import type { FindingDraft, MachineAnalysis, Rule } from '../types';

export const unverifiablePolicy: Rule = {
  id: 'unverifiable-policy',
  severity: 'warning',
  summary: "The role's permissions cannot be fully known, so a pass cannot be proven.",
  why: 'The role or some of its policies are defined outside the template (an external role, an AWS managed policy, a policy template dmap-guard does not model). dmap-guard never reports a pass it did not prove.',
  docs: 'https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html',
  fix: 'Pass --snapshot with the output of `aws iam get-account-authorization-details`, or run dmap-guard audit against the account.',
  check: (analysis) => [...unreadRoleFindings(analysis), ...undecidedContextFindings(analysis)],
};

function unreadRoleFindings(analysis: MachineAnalysis): FindingDraft[] {
  const { role, machine } = analysis;
  if (!role) {
    return [
      {
        message: `The execution role (${machine.roleReference ?? 'unknown'}) cannot be resolved, so none of the ${analysis.needResults.length} needs can be checked.`,
      },
    ];
  }
  if (role.unknown.length === 0) return [];
  if (role.identityPolicies.length === 0) {
    return [
      {
        resource: role.arn,
        message: `Role ${role.arn} cannot be read (${role.unknown.join('; ')}), so none of the ${analysis.needResults.length} needs can be checked.`,
      },
    ];
  }
  const drafts: FindingDraft[] = [
    {
      resource: role.arn,
      message: `Role ${role.arn} has permissions dmap-guard cannot read: ${role.unknown.join('; ')}. Grants in them are neither credited nor judged.`,
    },
  ];
  for (const result of analysis.needResults) {
    if (result.status !== 'unproven' || result.need.tier === 'optional') continue;
    drafts.push({
      state: result.need.source.state,
      action: result.need.actions.join(', '),
      resource: result.need.resources.join(', '),
      message: `Cannot prove ${result.need.tier} ${result.need.actions.join(', ')} on ${result.need.resources.join(', ')} (${sourceOf(result.need)}): the policies dmap-guard can read do not allow it, and the unread ones might.`,
    });
  }
  return drafts;
}

/** Where a statement's condition or variables need a context key dmap-guard cannot know: name them. */
function undecidedContextFindings(analysis: MachineAnalysis): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  for (const result of analysis.needResults) {
    if (result.status !== 'unknown' || result.need.tier === 'optional') continue;
    const undecided = result.results.filter((r) => r.evaluation.decision === 'unknown');
    const statements = new Map<string, Set<string>>();
    for (const { evaluation } of undecided)
      for (const statement of evaluation.unknown ?? []) {
        const name = `${statement.effect} ${statement.sid !== undefined ? `statement ${statement.sid}` : statement.index >= 0 ? `statement #${statement.index}` : 'statement'} of ${statement.policyId}${statement.layer === 'identity' ? '' : ` (${statement.layer === 'scp' ? 'SCP' : 'permissions boundary'})`}`;
        const keys = statements.get(name) ?? new Set<string>();
        for (const key of statement.keys) keys.add(key);
        statements.set(name, keys);
      }
    const reasons = [...statements].map(([name, keys]) =>
      keys.size > 0 ? `${name} depends on ${[...keys].join(', ')}` : name,
    );
    const actions = [...new Set(undecided.map((r) => r.request.action))];
    drafts.push({
      state: result.need.source.state,
      action: actions.join(', '),
      resource: result.need.resources.join(', '),
      message: `Cannot decide ${result.need.tier} ${actions.join(', ')} on ${result.need.resources.join(', ')} (${sourceOf(result.need)}): ${reasons.join('; ')}, a value dmap-guard cannot know for the requests Step Functions makes.`,
      fix: 'Make the condition hold without that key (for example with an ...IfExists operator), or verify the call in the account (dmap-guard audit, or the Map Run itself).',
    });
  }
  return drafts;
}

import { sourceOf } from '../describe';
import type { FindingDraft, Rule } from '../types';

export const unverifiablePolicy: Rule = {
  id: 'unverifiable-policy',
  severity: 'warning',
  summary: "The role's permissions cannot be fully known, so a pass cannot be proven.",
  why: 'The role or some of its policies are defined outside the template (an external role, an AWS managed policy, a policy template dmap-guard does not model). dmap-guard never reports a pass it did not prove.',
  docs: 'https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html',
  fix: 'Pass --snapshot with the output of `aws iam get-account-authorization-details`, or run dmap-guard audit against the account.',
  check(analysis) {
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
  },
};

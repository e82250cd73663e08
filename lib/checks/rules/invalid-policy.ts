import { unknownActionDrafts, wrongResourceTypeDrafts } from '../catalogue-checks';
import type { Rule } from '../types';

export const invalidPolicy: Rule = {
  id: 'invalid-policy',
  severity: 'error',
  summary: 'A policy document attached to the role is malformed.',
  why: 'IAM rejects malformed documents, and a broken statement grants nothing, so the permissions it meant to give are missing.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  fix: 'Fix the statement at the JSON path named in the finding.',
  check(analysis) {
    const sources = new Map(
      [...(analysis.role?.identityPolicies ?? []), ...(analysis.role?.boundary ? [analysis.role.boundary] : [])].map(
        (s) => [s.id, s],
      ),
    );
    const catalogueDrafts = [
      ...unknownActionDrafts(analysis, analysis.catalogue),
      ...wrongResourceTypeDrafts(analysis, analysis.catalogue),
    ];
    const drafts = analysis.policyProblems.map((problem) => {
      const source = sources.get(problem.policyId);
      return {
        state: problem.path,
        resource: problem.policyId,
        message: `${source?.name ?? problem.policyId}: ${problem.path}: ${problem.message}`,
        ...(source?.origin ? { origin: source.origin } : {}),
      };
    });
    return [...drafts, ...catalogueDrafts];
  },
};

import { defineRule } from '../types';

export const invalidPolicy = defineRule({
  id: 'invalid-policy',
  severity: 'error',
  summary: 'A policy document attached to the role is malformed.',
  why: 'IAM rejects malformed documents, and a broken statement grants nothing, so the permissions it meant to give are missing.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  fix: 'Fix the statement at the JSON path named in the finding.',
  tags: ['iam', 'policy-grammar'],
  messages: { malformed: '{{policy}}: {{path}}: {{problem}}' },
  check(analysis) {
    const sources = new Map(
      [...(analysis.role?.identityPolicies ?? []), ...(analysis.role?.boundary ? [analysis.role.boundary] : [])].map(
        (s) => [s.id, s],
      ),
    );
    return analysis.policyProblems.map((problem) => {
      const source = sources.get(problem.policyId);
      return {
        messageId: 'malformed' as const,
        data: { policy: source?.name ?? problem.policyId, path: problem.path, problem: problem.message },
        state: problem.path,
        resources: [problem.policyId],
        ...(source?.origin ? { origin: source.origin } : {}),
      };
    });
  },
});

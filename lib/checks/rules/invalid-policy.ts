import { unknownActionDrafts, wrongResourceTypeDrafts, type CatalogueFixId } from '../catalogue-checks';
import { roleDrafts } from '../shared-role';
import { defineRule, type FindingDraft, type MachineAnalysis } from '../types';

type MessageId = 'malformed' | 'unknownService' | 'noActionMatches' | 'unknownAction' | 'wrongResourceType';

export const invalidPolicy = defineRule<MessageId, CatalogueFixId>({
  id: 'invalid-policy',
  severity: 'error',
  summary: 'A policy document attached to the role is malformed.',
  why: 'IAM rejects malformed documents, and a broken statement grants nothing, so the permissions it meant to give are missing.',
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  fix: 'Fix the statement at the JSON path named in the finding.',
  tags: ['iam', 'policy-grammar'],
  messages: {
    malformed: '{{policy}}: {{path}}: {{problem}}{{shared}}',
    // With the IAM catalogue (Service Authorization Reference data): warnings, since IAM accepts these documents.
    unknownService:
      '{{statement}}: {{action}} names no IAM service "{{service}}"{{suggestion}} It {{effect}} nothing.{{shared}}',
    noActionMatches: '{{statement}}: {{action}} matches no IAM action; it {{effect}} nothing.{{shared}}',
    unknownAction: '{{statement}}: {{action}} is not an IAM action{{probably}}. It {{effect}} nothing.{{shared}}',
    wrongResourceType:
      '{{statement}}: {{action}} acts on {{types}}, but the statement grants it only on {{resources}}, which is not that resource type; it grants nothing for {{action}}.{{shared}}',
  },
  fixes: {
    servicePrefix: 'Use the IAM service prefix {{prefix}}.',
    replaceAction: 'Replace {{action}} with {{replacement}}.',
    resourceType: 'Grant {{action}} on a resource of type {{types}}.',
  },
  check(analysis): FindingDraft<MessageId, CatalogueFixId>[] {
    // The role's documents are the role's: reported once for all the machines using it, naming the others.
    return roleDrafts(analysis, 'invalid-policy', () => policyDrafts(analysis));
  },
});

function policyDrafts(analysis: MachineAnalysis): FindingDraft<MessageId, CatalogueFixId>[] {
  const sources = new Map(
    [...(analysis.role?.identityPolicies ?? []), ...(analysis.role?.boundary ? [analysis.role.boundary] : [])].map(
      (s) => [s.id, s],
    ),
  );
  const malformed = analysis.policyProblems.map((problem): FindingDraft<MessageId, CatalogueFixId> => {
    const source = sources.get(problem.policyId);
    return {
      messageId: 'malformed',
      data: { policy: source?.name ?? problem.policyId, path: problem.path, problem: problem.message },
      state: problem.path,
      resources: [problem.policyId],
      ...(source?.origin ? { origin: source.origin } : {}),
    };
  });
  return [
    ...malformed,
    ...unknownActionDrafts(analysis, analysis.catalogue),
    ...wrongResourceTypeDrafts(analysis, analysis.catalogue),
  ];
}

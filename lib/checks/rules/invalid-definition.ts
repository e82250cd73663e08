import { DOCS, type DefinitionProblem } from '../../needs/types';
import { defineRule, type FindingDraft } from '../types';

type ProblemId =
  | 'distributedMapInExpress'
  | 'invalidLabel'
  | 'invalidItemReader'
  | 'invalidResultWriter'
  | 'bucketInOtherAccount'
  | 'bucketInOtherRegion';

const PROBLEM_IDS: Record<DefinitionProblem['kind'], ProblemId> = {
  'distributed-map-in-express': 'distributedMapInExpress',
  'invalid-label': 'invalidLabel',
  'invalid-item-reader': 'invalidItemReader',
  'invalid-result-writer': 'invalidResultWriter',
  'bucket-in-other-account': 'bucketInOtherAccount',
  'bucket-in-other-region': 'bucketInOtherRegion',
};

export const invalidDefinition = defineRule({
  id: 'invalid-definition',
  severity: 'error',
  summary: 'The definition cannot run as written.',
  why: 'Step Functions rejects the state machine or fails at run time: a Distributed Map in an EXPRESS state machine, an invalid Label, an empty ResultWriter, or a definition that cannot be read or parsed.',
  docs: DOCS.express,
  fix: 'Fix the definition at the path named in the finding.',
  tags: ['asl', 'distributed-map'],
  // The problem text comes from the needs derivation, which knows the field and the rule it breaks.
  messages: {
    unreadable: 'The definition cannot be read: {{detail}}',
    distributedMapInExpress: '{{problem}}',
    invalidLabel: '{{problem}}',
    invalidItemReader: '{{problem}}',
    invalidResultWriter: '{{problem}}',
    bucketInOtherAccount: '{{problem}}',
    bucketInOtherRegion: '{{problem}}',
  },
  fixes: {
    makeStandard:
      'Make the parent state machine STANDARD (child executions can stay EXPRESS via ProcessorConfig.ExecutionType), or use an inline Map.',
    fixField: 'Fix {{field}} of the state.',
  },
  check(analysis) {
    const drafts: FindingDraft<'unreadable' | ProblemId, 'makeStandard' | 'fixField'>[] = [];
    if (analysis.definitionError) {
      drafts.push({
        messageId: 'unreadable',
        data: { detail: analysis.definitionError.message },
        state: analysis.definitionError.path,
      });
    }
    for (const problem of analysis.needs.problems) {
      drafts.push({
        messageId: PROBLEM_IDS[problem.kind],
        data: { problem: problem.message },
        state: problem.state,
        ...(problem.kind === 'distributed-map-in-express'
          ? { fix: 'makeStandard' as const }
          : { fix: 'fixField' as const, fixData: { field: problem.field } }),
      });
    }
    return drafts;
  },
});

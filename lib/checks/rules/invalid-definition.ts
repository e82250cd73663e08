import { DOCS } from '../../needs/types';
import type { FindingDraft, Rule } from '../types';

export const invalidDefinition: Rule = {
  id: 'invalid-definition',
  severity: 'error',
  summary: 'The definition cannot run as written.',
  why: 'Step Functions rejects the state machine or fails at run time: a Distributed Map in an EXPRESS state machine, an invalid Label, an empty ResultWriter, or a definition that cannot be read or parsed.',
  docs: DOCS.express,
  fix: 'Fix the definition at the path named in the finding.',
  check(analysis) {
    const drafts: FindingDraft[] = [];
    if (analysis.definitionError) {
      drafts.push({
        state: analysis.definitionError.path,
        message: `The definition cannot be read: ${analysis.definitionError.message}`,
      });
    }
    for (const problem of analysis.needs.problems) {
      drafts.push({
        state: problem.state,
        message: problem.message,
        fix:
          problem.kind === 'distributed-map-in-express'
            ? 'Make the parent state machine STANDARD (child executions can stay EXPRESS via ProcessorConfig.ExecutionType), or use an inline Map.'
            : `Fix ${problem.field} of the state.`,
      });
    }
    return drafts;
  },
};

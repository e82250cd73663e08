// Needs of Task states: optimized integrations (the table in ./integrations), direct Lambda ARNs, activities
// and aws-sdk integrations.
import { argumentsOf, type StateNode } from '../asl/definition';
import { parseArn } from '../model/arns';
import type { StateMachineContext } from '../model/state-machine';
import { sdkNeeds } from './aws-sdk';
import { findIntegration, INTEGRATIONS } from './integrations';
import { rowNeeds } from './integrations/derive';
import type { TaskScope } from './task-scope';
import type { Need, UnmodeledIntegration } from './types';

const OPTIMIZED = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const SDK = /^arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

type TaskNeeds = { needs: Need[]; unmodeled: UnmodeledIntegration[] };

export function taskNeeds(state: StateNode, ctx: StateMachineContext): TaskNeeds {
  const resource = state.body.Resource;
  if (typeof resource !== 'string') return { needs: [], unmodeled: [] };
  const argsInfo = argumentsOf(state.body, state.queryLanguage);
  const scope: TaskScope = { state, ctx, args: argsInfo?.value, argsField: argsInfo?.field ?? 'Parameters' };

  const direct = parseArn(resource);
  if (direct?.service === 'lambda') return directLambdaNeeds(scope, resource);
  // Scheduling an activity task needs no permission of the execution role (concepts-activities).
  if (direct?.service === 'states' && direct.resource.startsWith('activity:')) return { needs: [], unmodeled: [] };

  const sdk = SDK.exec(resource);
  if (sdk) {
    const row = findIntegration(`aws-sdk:${sdk[1] ?? ''}:${sdk[2] ?? ''}`, '');
    return row ? rowNeeds(scope, row) : sdkNeeds(scope, sdk[1] ?? '', sdk[2] ?? '');
  }

  const optimized = OPTIMIZED.exec(resource);
  if (optimized) {
    const integration = `${optimized[1] ?? ''}:${optimized[2] ?? ''}`;
    const row = findIntegration(integration, optimized[3] ?? '');
    if (row) return rowNeeds(scope, row);
    const known = INTEGRATIONS.some((r) => r.integration === integration);
    return {
      needs: [],
      unmodeled: [
        {
          state: state.path,
          resource,
          reason: known
            ? `Step Functions documents ${integration} without the ${optimized[3] || 'request-response'} pattern, so dmap-guard has no policy for it`
            : `dmap-guard has no IAM policy for the ${integration} integration`,
        },
      ],
    };
  }
  return {
    needs: [],
    unmodeled: [
      { state: state.path, resource, reason: 'the resource is not an integration ARN dmap-guard recognises' },
    ],
  };
}

/** A function ARN as the Resource is the legacy form of lambda:invoke. */
function directLambdaNeeds(scope: TaskScope, resource: string): TaskNeeds {
  const row = findIntegration('lambda:invoke', '');
  if (!row) throw new Error('the integration table has no lambda:invoke row');
  const { needs, unmodeled } = rowNeeds({ ...scope, args: { FunctionName: resource } }, row);
  return { needs: needs.map((n) => ({ ...n, source: { ...n.source, field: 'Resource' } })), unmodeled };
}

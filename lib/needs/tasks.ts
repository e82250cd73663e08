// Needs of Task states: optimized integrations, direct Lambda ARNs and aws-sdk integrations.
import { argumentsOf, type StateNode } from '../asl/definition';
import { executionArn, lambdaFunctionArn, parseArn, sqsQueueArn, stateMachineNameOf } from '../model/arns';
import type { StateMachineContext } from '../model/state-machine';
import { sdkNeeds } from './aws-sdk';
import { capitalise, eventBusNeeds, need, tableArn, type TaskScope } from './task-scope';
import { DOCS, type Need, type UnmodeledIntegration } from './types';
import { readString, type StringValue } from './values';

const OPTIMIZED = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const SDK = /^arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

export function taskNeeds(
  state: StateNode,
  ctx: StateMachineContext,
): { needs: Need[]; unmodeled: UnmodeledIntegration[] } {
  const resource = state.body.Resource;
  if (typeof resource !== 'string') return { needs: [], unmodeled: [] };
  const argsInfo = argumentsOf(state.body, state.queryLanguage);
  const scope: TaskScope = { state, ctx, args: argsInfo?.value, argsField: argsInfo?.field ?? 'Parameters' };

  const direct = parseArn(resource);
  if (direct?.service === 'lambda')
    return {
      needs: lambdaNeeds(scope, { value: resource, runtime: false, field: 'Resource' }, 'Resource'),
      unmodeled: [],
    };
  if (direct?.service === 'states' && direct.resource.startsWith('activity:')) return { needs: [], unmodeled: [] };

  const sdk = SDK.exec(resource);
  if (sdk) return { needs: sdkNeeds(scope, sdk[1] ?? '', sdk[2] ?? ''), unmodeled: [] };

  const optimized = OPTIMIZED.exec(resource);
  const modeled = optimized
    ? optimizedNeeds(scope, optimized[1] ?? '', optimized[2] ?? '', optimized[3] ?? '')
    : undefined;
  if (modeled) return { needs: modeled, unmodeled: [] };
  return { needs: [], unmodeled: [{ state: state.path, resource }] };
}

function lambdaNeeds(scope: TaskScope, fn: StringValue, field: string): Need[] {
  const { ctx } = scope;
  const why = { text: 'The task invokes this Lambda function.', docs: DOCS.lambda };
  if (fn.runtime) {
    return [
      need(
        scope,
        {
          sid: 'InvokeLambdaFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: [`arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:*`],
          why,
        },
        field,
        fn,
      ),
    ];
  }
  const { arn, qualified } = lambdaFunctionArn(ctx, fn.value);
  const needs = [
    need(scope, { sid: 'InvokeLambdaFunctions', actions: ['lambda:InvokeFunction'], resources: [arn], why }, field),
  ];
  if (!qualified) {
    needs.push(
      need(
        scope,
        {
          sid: 'InvokeLambdaFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: [`${arn}:*`],
          tier: 'optional',
          why: {
            text: 'Covers versions and aliases of the function; Step Functions and CDK grant it beside an unqualified function.',
            docs: DOCS.lambda,
          },
        },
        field,
      ),
    );
  }
  return needs;
}

function nestedExecutionNeeds(scope: TaskScope, mode: string): Need[] {
  const { ctx } = scope;
  const target = readString(scope.args, 'StateMachineArn');
  const field = `${scope.argsField}.${target?.field ?? 'StateMachineArn'}`;
  const targetArn =
    target === undefined || target.runtime
      ? `arn:${ctx.partition}:states:${ctx.region}:${ctx.account}:stateMachine:*`
      : target.value;
  const why = { text: 'The task starts another state machine.', docs: DOCS.nested };
  const needs = [
    need(
      scope,
      { sid: 'StartNestedExecutions', actions: ['states:StartExecution'], resources: [targetArn], why },
      field,
      target,
    ),
  ];
  if (mode === '.sync' || mode === '.sync:2') {
    const name = target === undefined || target.runtime ? '*' : (stateMachineNameOf(target.value) ?? '*');
    const syncWhy = {
      text: 'A .sync nested execution is polled and stopped, and completion arrives through a managed EventBridge rule.',
      docs: DOCS.nested,
    };
    needs.push(
      need(
        scope,
        {
          sid: 'ManageNestedExecutions',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executionArn(ctx, name)],
          why: syncWhy,
        },
        field,
        target,
      ),
      need(
        scope,
        {
          sid: 'ManageNestedExecutionEvents',
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [
            `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
          ],
          why: syncWhy,
        },
        field,
      ),
    );
  }
  return needs;
}

function optimizedNeeds(scope: TaskScope, service: string, api: string, mode: string): Need[] | undefined {
  const { ctx, args, argsField } = scope;
  const integration = `${service}:${api}`;
  switch (integration) {
    case 'lambda:invoke': {
      const fn = readString(args, 'FunctionName') ?? {
        value: '*',
        runtime: true,
        expression: 'missing FunctionName',
        field: 'FunctionName',
      };
      return lambdaNeeds(scope, fn, `${argsField}.${fn.field}`);
    }
    case 'states:startExecution':
      return nestedExecutionNeeds(scope, mode);
    case 'sns:publish': {
      const topic = readString(args, 'TopicArn') ?? readString(args, 'TargetArn');
      const resources = [topic === undefined ? '*' : topic.value];
      return [
        need(
          scope,
          {
            sid: 'PublishToTopics',
            actions: ['sns:Publish'],
            resources,
            why: { text: 'The task publishes to this SNS topic.', docs: DOCS.integrations },
          },
          `${argsField}.${topic?.field ?? 'TopicArn'}`,
          topic ?? { value: '*', runtime: true, expression: 'PhoneNumber', field: 'PhoneNumber' },
        ),
      ];
    }
    case 'sqs:sendMessage': {
      const url = readString(args, 'QueueUrl');
      const arn =
        url === undefined || url.runtime
          ? `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.account}:*`
          : (sqsQueueArn(ctx, url.value) ?? '*');
      return [
        need(
          scope,
          {
            sid: 'SendToQueues',
            actions: ['sqs:SendMessage'],
            resources: [arn],
            why: { text: 'The task sends a message to this SQS queue.', docs: DOCS.integrations },
          },
          `${argsField}.${url?.field ?? 'QueueUrl'}`,
          url,
        ),
      ];
    }
    case 'dynamodb:getItem':
    case 'dynamodb:putItem':
    case 'dynamodb:updateItem':
    case 'dynamodb:deleteItem': {
      const table = readString(args, 'TableName') ?? {
        value: '*',
        runtime: true,
        expression: 'missing TableName',
        field: 'TableName',
      };
      return [
        need(
          scope,
          {
            sid: 'AccessTables',
            actions: [`dynamodb:${capitalise(api)}`],
            resources: [tableArn(ctx, table)],
            why: { text: 'The task calls DynamoDB on this table.', docs: DOCS.integrations },
          },
          `${argsField}.${table.field}`,
          table,
        ),
      ];
    }
    case 'events:putEvents':
      return eventBusNeeds(scope);
    default:
      return undefined;
  }
}

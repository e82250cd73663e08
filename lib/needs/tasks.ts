// Needs of Task states: optimized integrations, direct Lambda ARNs and aws-sdk integrations.
import { argumentsOf, isObject, readField as fieldValue, type StateNode } from '../asl/definition';
import {
  bucketArn,
  executionArn,
  lambdaFunctionArn,
  objectArn,
  parseArn,
  sqsQueueArn,
  stateMachineNameOf,
} from './arns';
import { DOCS, type Need, type StateMachineContext, type UnmodeledIntegration } from './types';
import { readString, runtimeOf, type StringValue } from './values';

const OPTIMIZED = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const SDK = /^arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

/** SDK service names whose IAM prefix differs. */
const IAM_PREFIX: Record<string, string> = {
  sfn: 'states',
  eventbridge: 'events',
  cloudwatchlogs: 'logs',
  sesv2: 'ses',
  emrserverless: 'emr-serverless',
  emrcontainers: 'emr-containers',
  elasticloadbalancingv2: 'elasticloadbalancing',
  cognitoidentityprovider: 'cognito-idp',
  apigatewayv2: 'apigateway',
  apigatewaymanagementapi: 'execute-api',
  bedrockruntime: 'bedrock',
  bedrockagentruntime: 'bedrock',
  dynamodbstreams: 'dynamodb',
  iotdata: 'iot',
  mediastoredata: 'mediastore',
  sagemakerruntime: 'sagemaker',
  lexruntimev2: 'lex',
  resourcegroupstaggingapi: 'tag',
  costexplorer: 'ce',
  timestreamwrite: 'timestream',
  timestreamquery: 'timestream',
  pinpointemail: 'ses',
  s3control: 's3',
};

/** API names whose IAM action is not the capitalised API name, per IAM prefix. */
const IAM_ACTION: Record<string, Record<string, string>> = {
  s3: {
    listObjectsV2: 'ListBucket',
    listObjects: 'ListBucket',
    headObject: 'GetObject',
    headBucket: 'ListBucket',
    deleteObjects: 'DeleteObject',
    listObjectVersions: 'ListBucketVersions',
    listMultipartUploads: 'ListBucketMultipartUploads',
    listParts: 'ListMultipartUploadParts',
    selectObjectContent: 'GetObject',
    createMultipartUpload: 'PutObject',
    uploadPart: 'PutObject',
    completeMultipartUpload: 'PutObject',
    getObjectAttributes: 'GetObject',
  },
  lambda: { invoke: 'InvokeFunction', invokeWithResponseStream: 'InvokeFunction' },
  sns: { publishBatch: 'Publish' },
  sqs: {
    sendMessageBatch: 'SendMessage',
    deleteMessageBatch: 'DeleteMessage',
    changeMessageVisibilityBatch: 'ChangeMessageVisibility',
  },
  bedrock: {
    invokeModelWithResponseStream: 'InvokeModelWithResponseStream',
    converse: 'InvokeModel',
    converseStream: 'InvokeModelWithResponseStream',
  },
};

function capitalise(api: string): string {
  return api.charAt(0).toUpperCase() + api.slice(1);
}

function sdkIamAction(service: string, api: string): string {
  const prefix = IAM_PREFIX[service] ?? service;
  return `${prefix}:${IAM_ACTION[prefix]?.[api] ?? capitalise(api)}`;
}

interface TaskScope {
  state: StateNode;
  ctx: StateMachineContext;
  args: unknown;
  argsField: string;
}

function need(
  scope: TaskScope,
  fields: Omit<Need, 'source' | 'runtime' | 'tier'> & { tier?: Need['tier'] },
  field: string,
  ...values: Array<StringValue | undefined>
): Need {
  return { tier: 'required', ...fields, source: { state: scope.state.path, field }, ...runtimeOf(...values) };
}

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

function tableArn(ctx: StateMachineContext, table: StringValue): string {
  if (!table.runtime && table.value.startsWith('arn:')) return table.value;
  return `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.account}:table/${table.value}`;
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

function eventBusNeeds(scope: TaskScope): Need[] {
  const { ctx, args, argsField } = scope;
  const entries = readField(args, 'Entries');
  const busArn = (name: string) =>
    name.startsWith('arn:') ? name : `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:event-bus/${name}`;
  const why = { text: 'The task puts events on this event bus.', docs: DOCS.integrations };
  if (!Array.isArray(entries)) {
    return [
      need(
        scope,
        { sid: 'PutEvents', actions: ['events:PutEvents'], resources: [busArn('*')], why },
        `${argsField}.Entries`,
        {
          value: '*',
          runtime: true,
          expression: 'Entries',
          field: 'Entries',
        },
      ),
    ];
  }
  return entries.map((entry, index) => {
    const bus = readString(entry, 'EventBusName');
    return need(
      scope,
      { sid: 'PutEvents', actions: ['events:PutEvents'], resources: [busArn(bus?.value ?? 'default')], why },
      `${argsField}.Entries[${index}].${bus?.field ?? 'EventBusName'}`,
      bus,
    );
  });
}

function readField(container: unknown, key: string): unknown {
  return isObject(container) ? container[key] : undefined;
}

/** Resources of an aws-sdk call for the services whose resource can be read from the call's arguments. */
function sdkResources(
  scope: TaskScope,
  prefix: string,
  action: string,
): { resources: string[]; values: Array<StringValue | undefined>; field: string } | undefined {
  const { ctx, args } = scope;
  const read = (key: string) => readString(args, key);
  switch (prefix) {
    case 's3': {
      const bucket = read('Bucket');
      if (bucket === undefined) return undefined;
      const bucketLevel =
        ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'].includes(action) ||
        !/Object|MultipartUpload/.test(action);
      if (bucketLevel) return { resources: [bucketArn(ctx, bucket.value)], values: [bucket], field: bucket.field };
      const key = read('Key');
      return {
        resources: [objectArn(ctx, bucket.value, key?.value ?? '*')],
        values: [bucket, key ?? { value: '*', runtime: true, expression: 'object keys in the request', field: 'Key' }],
        field: bucket.field,
      };
    }
    case 'dynamodb': {
      const table = read('TableName');
      if (table !== undefined) return { resources: [tableArn(ctx, table)], values: [table], field: table.field };
      const requested = fieldValue(args, 'RequestItems');
      if (requested?.kind === 'runtime') {
        const value: StringValue = {
          value: '*',
          runtime: true,
          expression: requested.expression,
          field: requested.field,
        };
        return { resources: [tableArn(ctx, value)], values: [value], field: requested.field };
      }
      const items = readField(args, 'RequestItems');
      if (isObject(items)) {
        const tables = Object.keys(items).map((name) =>
          tableArn(ctx, { value: name, runtime: false, field: 'RequestItems' }),
        );
        return { resources: tables, values: [], field: 'RequestItems' };
      }
      return undefined;
    }
    case 'lambda': {
      const fn = read('FunctionName');
      if (fn === undefined) return undefined;
      return {
        resources: [
          fn.runtime
            ? `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:*`
            : lambdaFunctionArn(ctx, fn.value).arn,
        ],
        values: [fn],
        field: fn.field,
      };
    }
    case 'sqs': {
      const url = read('QueueUrl');
      if (url === undefined) return undefined;
      return {
        resources: [
          url.runtime
            ? `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.account}:*`
            : (sqsQueueArn(ctx, url.value) ?? '*'),
        ],
        values: [url],
        field: url.field,
      };
    }
    case 'sns': {
      const topic = read('TopicArn');
      return topic === undefined ? undefined : { resources: [topic.value], values: [topic], field: topic.field };
    }
    case 'states': {
      const machine = read('StateMachineArn');
      if (machine !== undefined) return { resources: [machine.value], values: [machine], field: machine.field };
      const execution = read('ExecutionArn');
      return execution === undefined
        ? undefined
        : { resources: [execution.value], values: [execution], field: execution.field };
    }
    case 'firehose': {
      const stream = read('DeliveryStreamName');
      return stream === undefined
        ? undefined
        : {
            resources: [`arn:${ctx.partition}:firehose:${ctx.region}:${ctx.account}:deliverystream/${stream.value}`],
            values: [stream],
            field: stream.field,
          };
    }
    case 'kinesis': {
      const stream = read('StreamARN') ?? read('StreamName');
      if (stream === undefined) return undefined;
      const arn = stream.value.startsWith('arn:')
        ? stream.value
        : `arn:${ctx.partition}:kinesis:${ctx.region}:${ctx.account}:stream/${stream.value}`;
      return { resources: [arn], values: [stream], field: stream.field };
    }
    case 'events': {
      // Rule APIs act on rule/[<bus>/]<name>; the default bus is left out of the ARN.
      const rule = /Rule|Targets/.test(action) ? (read('Name') ?? read('Rule')) : undefined;
      if (rule === undefined) return undefined;
      const bus = read('EventBusName');
      const busSegment =
        bus === undefined || bus.value === 'default' ? '' : `${bus.value.split('/').pop() ?? bus.value}/`;
      return {
        resources: [`arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:rule/${busSegment}${rule.value}`],
        values: [rule, bus],
        field: rule.field,
      };
    }
    default:
      return undefined;
  }
}

function sdkNeeds(scope: TaskScope, service: string, api: string): Need[] {
  const action = sdkIamAction(service, api);
  const prefix = action.split(':')[0] ?? service;
  if (action === 'events:PutEvents') return eventBusNeeds(scope);
  const why = { text: `The task calls ${service}:${api} through the AWS SDK integration.`, docs: DOCS.sdk };
  const sid = `Call${capitalise(prefix.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()))}Api`;
  const derived = sdkResources(scope, prefix, action);
  if (derived === undefined) {
    return [
      {
        sid,
        actions: [action],
        resources: ['*'],
        tier: 'required',
        source: { state: scope.state.path, field: 'Resource' },
        why,
        runtime: true,
        runtimeExpression: `the resource of ${service}:${api}, which dmap-guard cannot derive from the call's arguments`,
      },
    ];
  }
  if (action === 's3:ListBucket') {
    const prefixValue = readString(scope.args, 'Prefix');
    if (prefixValue !== undefined && !prefixValue.runtime) {
      const listing = need(
        scope,
        { sid, actions: [action], resources: derived.resources, why },
        `${scope.argsField}.${derived.field}`,
        ...derived.values,
      );
      listing.conditions = { StringLike: { 's3:prefix': [prefixValue.value] } };
      listing.context = { 's3:prefix': [prefixValue.value] };
      return [listing];
    }
  }
  if (action === 's3:CopyObject') {
    return [
      need(
        scope,
        { sid, actions: ['s3:PutObject'], resources: derived.resources, why },
        `${scope.argsField}.${derived.field}`,
        ...derived.values,
      ),
      ...copySourceNeeds(scope, sid, why),
    ];
  }
  return [
    need(
      scope,
      { sid, actions: [action], resources: derived.resources, why },
      `${scope.argsField}.${derived.field}`,
      ...derived.values,
    ),
  ];
}

function copySourceNeeds(scope: TaskScope, sid: string, why: Need['why']): Need[] {
  const source = readString(scope.args, 'CopySource');
  if (source === undefined) return [];
  const resource = source.runtime
    ? `arn:${scope.ctx.partition}:s3:::*/*`
    : `arn:${scope.ctx.partition}:s3:::${decodeURIComponent(source.value.replace(/^\//, '').split('?')[0] ?? '')}`;
  return [
    need(
      scope,
      { sid, actions: ['s3:GetObject'], resources: [resource], why },
      `${scope.argsField}.${source.field}`,
      source,
    ),
  ];
}

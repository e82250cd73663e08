// Lambda, SNS, SQS, DynamoDB, EventBridge, Step Functions, API Gateway, the HTTP Task and EventBridge Scheduler.
import type { GrantSpec, IntegrationRow, Pattern } from './types';

const LAMBDA = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html';
const SNS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html';
const SQS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html';
const DDB = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html';
const EVENTS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html';
const NESTED = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html';
const APIGW = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-api-gateway.html';
const HTTP = 'https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html#connect-http-task-permissions';
const SDK = 'https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html';
const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;

const invoke: GrantSpec[] = [
  {
    sid: 'InvokeLambdaFunctions',
    actions: ['lambda:InvokeFunction'],
    resources: ['{FunctionName|lambda}'],
    why: 'The task invokes this Lambda function.',
  },
  {
    sid: 'InvokeLambdaFunctions',
    actions: ['lambda:InvokeFunction'],
    resources: ['{FunctionName|lambdaVersions}'],
    tier: 'optional',
    why: 'Covers versions and aliases of the function; Step Functions and CDK grant it beside an unqualified function.',
  },
];

const publish: GrantSpec[] = [
  {
    sid: 'PublishToTopics',
    actions: ['sns:Publish'],
    resources: ['{TopicArn}'],
    when: 'TopicArn',
    why: 'The task publishes to this SNS topic.',
  },
  {
    sid: 'PublishToTopics',
    actions: ['sns:Publish'],
    resources: ['{TargetArn}'],
    when: 'TargetArn',
    why: 'The task publishes to this SNS endpoint.',
  },
  {
    sid: 'PublishToTopics',
    actions: ['sns:Publish'],
    resources: ['*'],
    when: 'PhoneNumber',
    runtime: 'PhoneNumber',
    why: 'The task sends an SMS message, which sns:Publish authorises on "*".',
  },
];

const send: GrantSpec[] = [
  {
    sid: 'SendToQueues',
    actions: ['sqs:SendMessage'],
    resources: ['{QueueUrl|sqs}'],
    why: 'The task sends a message to this SQS queue.',
  },
];

const putEvents: GrantSpec[] = [
  {
    sid: 'PutEvents',
    actions: ['events:PutEvents'],
    resources: [arn('events', 'event-bus/{Entries.EventBusName|arn}')],
    why: 'The task puts events on this event bus.',
  },
];

const startExecution: GrantSpec = {
  sid: 'StartNestedExecutions',
  actions: ['states:StartExecution'],
  resources: ['{StateMachineArn|stateMachine}'],
  why: 'The task starts another state machine.',
};
const manageExecutions: GrantSpec = {
  sid: 'ManageNestedExecutions',
  actions: ['states:DescribeExecution', 'states:StopExecution'],
  resources: [arn('states', 'execution:{StateMachineArn|stateMachineName}:*')],
  why: 'A .sync nested execution is polled and stopped, and completion arrives through a managed EventBridge rule.',
};

const apiInvoke: GrantSpec[] = [
  {
    actions: ['execute-api:Invoke'],
    resources: [
      'arn:${Partition}:execute-api:{ApiEndpoint|apiRegion}:${Account}:{ApiEndpoint|apiId}/{Stage}/{Method}/{Path|path}',
    ],
    when: 'AuthType=IAM_ROLE',
    why: 'With AuthType IAM_ROLE, Step Functions signs the request with the execution role.',
  },
];
const apiResourcePolicy =
  "with AuthType RESOURCE_POLICY the API's resource policy must allow states.amazonaws.com for this state machine, and dmap-guard does not read API resource policies";

const connection = (field: string): GrantSpec[] => [
  {
    actions: ['events:RetrieveConnectionCredentials'],
    resources: [`{${field}}`],
    when: field,
    why: 'The HTTP Task reads the credentials of this EventBridge connection.',
  },
  {
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resources: [arn('secretsmanager', `secret:events!connection/{${field}|connectionName}/*`)],
    when: field,
    runtime: 'the secret EventBridge keeps for the connection, whose name ends with a random suffix',
    why: "The connection's credentials live in a Secrets Manager secret that EventBridge manages.",
  },
];

const nestedRows = (pattern: Pattern): IntegrationRow => ({
  integration: 'states:startExecution',
  pattern,
  grants: pattern.startsWith('sync') ? [startExecution, manageExecutions] : [startExecution],
  ...(pattern.startsWith('sync')
    ? { rule: 'StepFunctionsGetEventsForStepFunctionsExecutionRule', ruleSid: 'ManageNestedExecutionEvents' }
    : {}),
  docs: NESTED,
});

const dynamo = (api: string, action: string): IntegrationRow => ({
  integration: `dynamodb:${api}`,
  pattern: 'request-response',
  grants: [
    {
      sid: 'AccessTables',
      actions: [`dynamodb:${action}`],
      resources: [arn('dynamodb', 'table/{TableName|arn}')],
      why: 'The task calls DynamoDB on this table.',
    },
  ],
  docs: DDB,
});

export const MESSAGING: IntegrationRow[] = [
  { integration: 'lambda:invoke', pattern: 'request-response', grants: invoke, docs: LAMBDA },
  { integration: 'lambda:invoke', pattern: 'waitForTaskToken', grants: invoke, docs: LAMBDA },
  { integration: 'sns:publish', pattern: 'request-response', grants: publish, docs: SNS },
  { integration: 'sns:publish', pattern: 'waitForTaskToken', grants: publish, docs: SNS },
  { integration: 'sqs:sendMessage', pattern: 'request-response', grants: send, docs: SQS },
  { integration: 'sqs:sendMessage', pattern: 'waitForTaskToken', grants: send, docs: SQS },
  dynamo('getItem', 'GetItem'),
  dynamo('putItem', 'PutItem'),
  dynamo('updateItem', 'UpdateItem'),
  dynamo('deleteItem', 'DeleteItem'),
  {
    integration: 'events:putEvents',
    pattern: 'request-response',
    grants: putEvents,
    defaults: { 'Entries.EventBusName': 'default' },
    docs: EVENTS,
  },
  {
    integration: 'events:putEvents',
    pattern: 'waitForTaskToken',
    grants: putEvents,
    defaults: { 'Entries.EventBusName': 'default' },
    docs: EVENTS,
  },
  nestedRows('request-response'),
  nestedRows('waitForTaskToken'),
  nestedRows('sync'),
  nestedRows('sync:2'),
  ...(['request-response', 'waitForTaskToken'] as const).map((pattern): IntegrationRow => ({
    integration: 'apigateway:invoke',
    pattern,
    grants: apiInvoke,
    defaults: { Path: '', Stage: '$default' },
    unverifiable: apiResourcePolicy,
    unverifiableWhen: 'AuthType=RESOURCE_POLICY',
    docs: APIGW,
  })),
  {
    integration: 'http:invoke',
    pattern: 'request-response',
    grants: [
      {
        actions: ['states:InvokeHTTPEndpoint'],
        resources: [arn('states', 'stateMachine:${StateMachineName}')],
        context: { 'states:HTTPMethod': '{Method}', 'states:HTTPEndpoint': '{ApiEndpoint}' },
        like: ['states:HTTPEndpoint'],
        why: 'The HTTP Task calls this endpoint; Step Functions authorises it on the state machine (or "*") with the method and endpoint as conditions.',
      },
      {
        actions: ['states:InvokeHTTPEndpoint'],
        resources: ['*'],
        context: { 'states:HTTPMethod': '{Method}', 'states:HTTPEndpoint': '{ApiEndpoint}' },
        like: ['states:HTTPEndpoint'],
        tier: 'optional',
        why: 'The Service Authorization Reference lists InvokeHTTPEndpoint as wildcard-only, and CDK grants it on "*" with the conditions: that form is as narrow.',
      },
      ...connection('Authentication.ConnectionArn'),
      ...connection('InvocationConfig.ConnectionArn'),
    ],
    docs: HTTP,
  },
  {
    integration: 'aws-sdk:scheduler:createSchedule',
    pattern: 'request-response',
    grants: [
      {
        actions: ['scheduler:CreateSchedule'],
        resources: [arn('scheduler', 'schedule/{GroupName}/{Name}')],
        why: 'The task creates this EventBridge Scheduler schedule.',
      },
    ],
    passRoles: [{ field: 'Target.RoleArn', service: 'scheduler.amazonaws.com' }],
    defaults: { GroupName: 'default' },
    docs: SDK,
  },
];

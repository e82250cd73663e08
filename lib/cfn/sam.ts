// AWS SAM: the policy templates Step Functions users use, and connectors with a state machine as source.
// Each template grants what the SAM translator's policy_templates.json says it grants.
import type { Pseudo } from './resources';

type Statement = { Effect: 'Allow'; Action: string[]; Resource: string | string[] };
type Template = (param: (name: string) => string, p: Pseudo) => Statement[];

const allow = (Action: string[], Resource: string | string[]): Statement => ({ Effect: 'Allow', Action, Resource });
const regional = (p: Pseudo, service: string, resource: string) =>
  `arn:${p.partition}:${service}:${p.region}:${p.account}:${resource}`;
const S3_READ = [
  's3:GetObject',
  's3:ListBucket',
  's3:GetBucketLocation',
  's3:GetObjectVersion',
  's3:GetLifecycleConfiguration',
];
const bucketAndObjects = (p: Pseudo, bucket: string) => [
  `arn:${p.partition}:s3:::${bucket}`,
  `arn:${p.partition}:s3:::${bucket}/*`,
];
const tableAndIndexes = (p: Pseudo, table: string) => [
  regional(p, 'dynamodb', `table/${table}`),
  regional(p, 'dynamodb', `table/${table}/index/*`),
];

export const SAM_POLICY_TEMPLATES: Record<string, Template> = {
  S3ReadPolicy: (param, p) => [allow(S3_READ, bucketAndObjects(p, param('BucketName')))],
  S3WritePolicy: (param, p) => [
    allow(
      ['s3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration'],
      bucketAndObjects(p, param('BucketName')),
    ),
  ],
  S3CrudPolicy: (param, p) => [
    allow(
      [
        ...S3_READ.slice(0, 4),
        's3:PutObject',
        's3:PutObjectAcl',
        's3:GetLifecycleConfiguration',
        's3:PutLifecycleConfiguration',
        's3:DeleteObject',
      ],
      bucketAndObjects(p, param('BucketName')),
    ),
  ],
  S3FullAccessPolicy: (param, p) => {
    const [bucket, objects] = bucketAndObjects(p, param('BucketName')) as [string, string];
    return [
      allow(
        [
          's3:GetObject',
          's3:GetObjectAcl',
          's3:GetObjectVersion',
          's3:PutObject',
          's3:PutObjectAcl',
          's3:DeleteObject',
          's3:DeleteObjectTagging',
          's3:DeleteObjectVersionTagging',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
        ],
        objects,
      ),
      allow(
        ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
        bucket,
      ),
    ];
  },
  LambdaInvokePolicy: (param, p) => [
    allow(['lambda:InvokeFunction'], regional(p, 'lambda', `function:${param('FunctionName')}*`)),
  ],
  StepFunctionsExecutionPolicy: (param, p) => [
    allow(['states:StartExecution'], regional(p, 'states', `stateMachine:${param('StateMachineName')}`)),
  ],
  DynamoDBCrudPolicy: (param, p) => [
    allow(
      [
        'dynamodb:GetItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:Scan',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:DescribeTable',
        'dynamodb:ConditionCheckItem',
      ],
      tableAndIndexes(p, param('TableName')),
    ),
  ],
  DynamoDBReadPolicy: (param, p) => [
    allow(
      ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'],
      tableAndIndexes(p, param('TableName')),
    ),
  ],
  DynamoDBWritePolicy: (param, p) => [
    allow(
      ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
      tableAndIndexes(p, param('TableName')),
    ),
  ],
  SQSSendMessagePolicy: (param, p) => [allow(['sqs:SendMessage*'], regional(p, 'sqs', param('QueueName')))],
  SQSPollerPolicy: (param, p) => [
    allow(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:ChangeMessageVisibilityBatch',
        'sqs:DeleteMessage',
        'sqs:DeleteMessageBatch',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
      ],
      regional(p, 'sqs', param('QueueName')),
    ),
  ],
  SNSPublishMessagePolicy: (param, p) => [allow(['sns:Publish'], regional(p, 'sns', param('TopicName')))],
  SNSCrudPolicy: (param, p) => [
    allow(
      ['sns:ListSubscriptionsByTopic', 'sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Publish'],
      regional(p, 'sns', `${param('TopicName')}*`),
    ),
  ],
  KMSDecryptPolicy: (param, p) => [allow(['kms:Decrypt'], regional(p, 'kms', `key/${param('KeyId')}`))],
  KMSEncryptPolicy: (param, p) => [allow(['kms:Encrypt'], regional(p, 'kms', `key/${param('KeyId')}`))],
  EventBridgePutEventsPolicy: (param, p) => [
    allow(['events:PutEvents'], regional(p, 'events', `event-bus/${param('EventBusName')}`)),
  ],
  FirehoseWritePolicy: (param, p) => [
    allow(
      ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      regional(p, 'firehose', `deliverystream/${param('DeliveryStreamName')}`),
    ),
  ],
  CloudWatchPutMetricPolicy: () => [allow(['cloudwatch:PutMetricData'], '*')],
};

/** SAM connector profiles with a state machine as the source: destination type → permission → actions and resources. */
type Access = 'Read' | 'Write';
type Profile = Partial<Record<Access, (dest: { arn: string; name: string }, p: Pseudo) => Statement[]>>;

export const SAM_CONNECTOR_PROFILES: Record<string, Profile> = {
  'AWS::Lambda::Function': { Write: (d) => [allow(['lambda:InvokeAsync', 'lambda:InvokeFunction'], d.arn)] },
  'AWS::SNS::Topic': { Write: (d) => [allow(['sns:Publish'], d.arn)] },
  'AWS::SQS::Queue': { Write: (d) => [allow(['sqs:SendMessage'], d.arn)] },
  'AWS::Events::EventBus': { Write: (d) => [allow(['events:PutEvents'], d.arn)] },
  'AWS::S3::Bucket': {
    Read: (d) => [
      allow(
        [
          's3:GetObject',
          's3:GetObjectAcl',
          's3:GetObjectLegalHold',
          's3:GetObjectRetention',
          's3:GetObjectTorrent',
          's3:GetObjectVersion',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionTorrent',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:ListBucketVersions',
          's3:ListMultipartUploadParts',
        ],
        [d.arn, `${d.arn}/*`],
      ),
    ],
    Write: (d) => [
      allow(
        [
          's3:AbortMultipartUpload',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:PutObject',
          's3:PutObjectLegalHold',
          's3:PutObjectRetention',
          's3:RestoreObject',
        ],
        [d.arn, `${d.arn}/*`],
      ),
    ],
  },
  'AWS::DynamoDB::Table': {
    Read: (d) => [
      allow(
        [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:BatchGetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:PartiQLSelect',
        ],
        [d.arn, `${d.arn}/index/*`],
      ),
    ],
    Write: (d) => [
      allow(
        [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:PartiQLDelete',
          'dynamodb:PartiQLInsert',
          'dynamodb:PartiQLUpdate',
        ],
        [d.arn, `${d.arn}/index/*`],
      ),
    ],
  },
  'AWS::StepFunctions::StateMachine': {
    Read: (d, p) => [
      allow(['states:DescribeExecution'], `arn:${p.partition}:states:${p.region}:${p.account}:execution:${d.name}:*`),
      allow(
        ['events:DescribeRule'],
        `arn:${p.partition}:events:${p.region}:${p.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
      ),
    ],
    Write: (d, p) => [
      allow(['states:StartExecution'], d.arn),
      allow(['states:StopExecution'], `arn:${p.partition}:states:${p.region}:${p.account}:execution:${d.name}:*`),
      allow(
        ['events:PutTargets', 'events:PutRule'],
        `arn:${p.partition}:events:${p.region}:${p.account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
      ),
    ],
  },
};

/** SAM maps serverless destination types to the CloudFormation types the profiles are keyed by. */
export const CONNECTOR_TYPE_ALIASES: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
};

/** Policies SAM attaches to a state machine role for Tracing, by partition. */
export function xrayManagedPolicyArn(partition: string): string {
  return partition === 'aws'
    ? `arn:${partition}:iam::aws:policy/AWSXrayWriteOnlyAccess`
    : `arn:${partition}:iam::aws:policy/AWSXRayDaemonWriteAccess`;
}

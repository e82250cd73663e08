// What Ref and Fn::GetAtt return for the resource types a state machine's permissions refer to. Resources
// without an explicit name get a stable synthetic physical name, so `Ref Machine` in a policy and the
// machine's own ARN agree, as they do once CloudFormation names them.
import { arnPathAndName } from '../model/arns';
import { fnv1a128Hex } from '../model/hash';
import { own } from '../model/json';
import { unresolved } from './intrinsics';

export interface Pseudo {
  partition: string;
  region: string;
  account: string;
  stackName: string;
}

export interface ResourceValues {
  ref: unknown;
  attributes: Record<string, unknown>;
}

function suffix(stackName: string, logicalId: string): string {
  return fnv1a128Hex(`${stackName}/${logicalId}`).slice(0, 12).toUpperCase();
}

/** CloudFormation-style generated name: "<stack>-<LogicalId>-<SUFFIX>", trimmed to the type's limit. */
export function physicalName(
  p: Pseudo,
  logicalId: string,
  options: { maxLength?: number; lowercase?: boolean; withStack?: boolean } = {},
): string {
  const { maxLength = 64, lowercase = false, withStack = true } = options;
  const tail = suffix(p.stackName, logicalId);
  const head = withStack ? `${p.stackName}-${logicalId}` : logicalId;
  const name = `${head.slice(0, Math.max(1, maxLength - tail.length - 1))}-${tail}`;
  return lowercase ? name.toLowerCase() : name;
}

/** Synthetic KMS key id: a UUID derived from the logical id. */
function keyId(p: Pseudo, logicalId: string): string {
  const hex = fnv1a128Hex(`key/${p.stackName}/${logicalId}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function named(props: Record<string, unknown>, key: string, fallback: () => string): string {
  const value = props[key];
  return typeof value === 'string' && value !== '' ? value : fallback();
}

export function resourceValues(
  type: string,
  logicalId: string,
  props: Record<string, unknown>,
  p: Pseudo,
): ResourceValues {
  const arn = (service: string, resource: string, region = p.region, account = p.account) =>
    `arn:${p.partition}:${service}:${region}:${account}:${resource}`;
  switch (type) {
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::Serverless::StateMachine': {
      const name = named(props, type === 'AWS::Serverless::StateMachine' ? 'Name' : 'StateMachineName', () =>
        physicalName(p, logicalId, { maxLength: 80, withStack: false }),
      );
      const machineArn = arn('states', `stateMachine:${name}`);
      return {
        ref: machineArn,
        attributes: {
          Arn: machineArn,
          Name: name,
          StateMachineRevisionId: unresolved(`${logicalId}.StateMachineRevisionId`),
        },
      };
    }
    case 'AWS::StepFunctions::Activity': {
      const activityArn = arn('states', `activity:${named(props, 'Name', () => logicalId)}`);
      return { ref: activityArn, attributes: { Arn: activityArn, Name: named(props, 'Name', () => logicalId) } };
    }
    case 'AWS::IAM::Role': {
      const name = named(props, 'RoleName', () => physicalName(p, logicalId));
      const path = typeof props.Path === 'string' ? props.Path : '/';
      return {
        ref: name,
        attributes: {
          Arn: `arn:${p.partition}:iam::${p.account}:role${path}${name}`,
          RoleId: `AROA${suffix(p.stackName, logicalId)}`,
        },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = named(props, 'ManagedPolicyName', () => physicalName(p, logicalId, { maxLength: 128 }));
      const path = typeof props.Path === 'string' ? props.Path : '/';
      const policyArn = `arn:${p.partition}:iam::${p.account}:policy${path}${name}`;
      return { ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    case 'AWS::S3::Bucket': {
      const name = named(props, 'BucketName', () => physicalName(p, logicalId, { maxLength: 63, lowercase: true }));
      return {
        ref: name,
        attributes: {
          Arn: `arn:${p.partition}:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${p.region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::KMS::Key': {
      const id = keyId(p, logicalId);
      return { ref: id, attributes: { Arn: arn('kms', `key/${id}`), KeyId: id } };
    }
    case 'AWS::KMS::Alias':
      return { ref: named(props, 'AliasName', () => `alias/${logicalId}`), attributes: {} };
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function': {
      const name = named(props, 'FunctionName', () => physicalName(p, logicalId));
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
      const name = named(
        props,
        'QueueName',
        () => `${physicalName(p, logicalId, { maxLength: fifo ? 75 : 80 })}${fifo ? '.fifo' : ''}`,
      );
      return {
        ref: `https://sqs.${p.region}.amazonaws.com/${p.account}/${name}`,
        attributes: {
          Arn: arn('sqs', name),
          QueueName: name,
          QueueUrl: `https://sqs.${p.region}.amazonaws.com/${p.account}/${name}`,
        },
      };
    }
    case 'AWS::SNS::Topic': {
      const name = named(props, 'TopicName', () => physicalName(p, logicalId, { maxLength: 256 }));
      return { ref: arn('sns', name), attributes: { TopicArn: arn('sns', name), TopicName: name } };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::Serverless::SimpleTable': {
      const name = named(props, 'TableName', () => physicalName(p, logicalId, { maxLength: 255 }));
      return {
        ref: name,
        attributes: { Arn: arn('dynamodb', `table/${name}`), StreamArn: arn('dynamodb', `table/${name}/stream/*`) },
      };
    }
    case 'AWS::Events::EventBus': {
      const name = named(props, 'Name', () => physicalName(p, logicalId));
      return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = named(props, 'Name', () => physicalName(p, logicalId));
      return { ref: name, attributes: { Arn: arn('events', `rule/${name}`) } };
    }
    case 'AWS::KinesisFirehose::DeliveryStream': {
      const name = named(props, 'DeliveryStreamName', () => physicalName(p, logicalId));
      return { ref: name, attributes: { Arn: arn('firehose', `deliverystream/${name}`) } };
    }
    case 'AWS::Kinesis::Stream': {
      const name = named(props, 'Name', () => physicalName(p, logicalId));
      return { ref: name, attributes: { Arn: arn('kinesis', `stream/${name}`) } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named(props, 'LogGroupName', () => physicalName(p, logicalId, { maxLength: 512 }));
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::S3Tables::TableBucket': {
      const name = named(props, 'TableBucketName', () =>
        physicalName(p, logicalId, { maxLength: 63, lowercase: true }),
      );
      const bucketArn = arn('s3tables', `bucket/${name}`);
      return { ref: bucketArn, attributes: { TableBucketARN: bucketArn } };
    }
    default:
      return { ref: physicalName(p, logicalId), attributes: {} };
  }
}

/** Ref/GetAtt values of a resource that exists, from its physical id (as ListStackResources reports it). */
export function physicalValues(
  type: string,
  logicalId: string,
  physicalId: string,
  p: Pseudo,
  /** The template's Path property: a role's physical id is its name only, and its ARN keeps the path. */
  path?: unknown,
): ResourceValues {
  const last = (separator: string) => physicalId.split(separator).pop() ?? physicalId;
  switch (type) {
    case 'AWS::IAM::Role':
      return resourceValues(
        type,
        logicalId,
        { RoleName: physicalId, ...(typeof path === 'string' ? { Path: path } : {}) },
        p,
      );
    case 'AWS::StepFunctions::StateMachine':
      return resourceValues(type, logicalId, { StateMachineName: last(':') }, p);
    case 'AWS::Serverless::StateMachine':
      return resourceValues(type, logicalId, { Name: last(':') }, p);
    case 'AWS::IAM::ManagedPolicy': {
      const match = arnPathAndName(physicalId, ':policy');
      return resourceValues(
        type,
        logicalId,
        { ManagedPolicyName: match?.name ?? last('/'), Path: match?.path ?? '/' },
        p,
      );
    }
    case 'AWS::KMS::Key':
      return {
        ref: physicalId,
        attributes: { Arn: `arn:${p.partition}:kms:${p.region}:${p.account}:key/${physicalId}`, KeyId: physicalId },
      };
    case 'AWS::SNS::Topic':
      return resourceValues(type, logicalId, { TopicName: last(':') }, p);
    case 'AWS::SQS::Queue':
      return resourceValues(type, logicalId, { QueueName: last('/') }, p);
    default: {
      const nameProperty = own(PHYSICAL_NAME_PROPERTY, type);
      return nameProperty
        ? resourceValues(type, logicalId, { [nameProperty]: physicalId }, p)
        : { ref: physicalId, attributes: {} };
    }
  }
}

const PHYSICAL_NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::KMS::Alias': 'AliasName',
};

// Needs of aws-sdk integrations (arn:aws:states:::aws-sdk:<service>:<api>): the IAM action and, for the
// services whose resource can be read from the call's arguments, the resource.
import { isObject, readField as fieldValue } from '../asl/definition';
import { bucketArn, lambdaFunctionArn, objectArn, sqsQueueArn } from '../model/arns';
import { trimTrailing } from '../model/text';
import { passRoleNeed } from './integrations/derive';
import { sdkExtraOf, type SdkExtra } from './integrations/sdk-reads';
import { SDK_API_ACTION, SDK_API_ALSO, SDK_IAM_PREFIX, SDK_WITHOUT_IAM_SERVICE } from './integrations/sdk-services';
import { readPath } from './integrations/templates';
import { capitalise, eventBusNeeds, need, readField, tableArn, type TaskScope } from './task-scope';
import { DOCS, type Need, type UnmodeledIntegration } from './types';
import { readString, type StringValue } from './values';

/** The IAM action of an aws-sdk call: the service's IAM prefix and, mostly, the API name capitalised. */
export function sdkIamAction(service: string, api: string): string {
  const prefix = SDK_IAM_PREFIX.get(service) ?? service;
  const renamed = SDK_API_ACTION.get(prefix)?.get(api);
  return `${prefix}:${renamed ?? capitalise(api)}`;
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

export function sdkNeeds(
  scope: TaskScope,
  service: string,
  api: string,
): { needs: Need[]; unmodeled: UnmodeledIntegration[] } {
  if (SDK_WITHOUT_IAM_SERVICE.has(service)) {
    const reason = `the Service Authorization Reference has no IAM service for the aws-sdk service ${service}, so the action ${service}:${api} needs cannot be named`;
    return { needs: [], unmodeled: [{ state: scope.state.path, resource: String(scope.state.body.Resource), reason }] };
  }
  const extra = sdkExtraOf(service, api);
  return { needs: [...callNeeds(scope, service, api), ...(extra ? extraNeeds(scope, extra) : [])], unmodeled: [] };
}

function callNeeds(scope: TaskScope, service: string, api: string): Need[] {
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
  const alsoNeeded = SDK_API_ALSO.get(prefix)?.get(api) ?? [];
  return [
    need(
      scope,
      { sid, actions: [action, ...alsoNeeded.map((name) => `${prefix}:${name}`)], resources: derived.resources, why },
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

/** S3 objects the called service reads or writes with the execution role's permissions, and roles it passes. */
function extraNeeds(scope: TaskScope, extra: SdkExtra): Need[] {
  const { ctx, args, argsField } = scope;
  const sid = `${capitalise(extra.service)}S3Access`;
  const needs: Need[] = [];
  // A role passed for data access reads and writes the objects instead of the caller.
  const passesRole = extra.passRole !== undefined && readPath(args, extra.passRole.field) !== undefined;
  for (const access of passesRole ? [] : (extra.s3 ?? [])) {
    const why = {
      text: `${extra.service} ${access.action === 's3:GetObject' ? 'reads' : 'writes'} this S3 object with the caller's permissions, so the execution role needs ${access.action} on it.`,
      docs: extra.docs,
    };
    if (access.uri !== undefined) {
      const uri = readPath(args, access.uri)?.[0];
      if (uri === undefined) continue;
      const target = uri.runtime ? '*/*' : uri.value.replace(/^s3:\/\//, '');
      needs.push(
        need(
          scope,
          {
            sid,
            actions: [access.action],
            resources: [`arn:${ctx.partition}:s3:::${target}`],
            why,
            ...(access.tier ? { tier: access.tier } : {}),
          },
          `${argsField}.${uri.field}`,
          uri,
        ),
      );
      continue;
    }
    const bucket = access.bucket === undefined ? undefined : readPath(args, access.bucket)?.[0];
    if (bucket === undefined) continue;
    const key = access.key === undefined ? undefined : readPath(args, access.key)?.[0];
    const keyPart = key === undefined ? '*' : access.prefix === true ? `${trimTrailing(key.value, '*')}*` : key.value;
    needs.push(
      need(
        scope,
        { sid, actions: [access.action], resources: [objectArn(ctx, bucket.value, keyPart)], why },
        `${argsField}.${bucket.field}`,
        bucket,
        key,
      ),
    );
  }
  if (extra.passRole) {
    const row = {
      integration: `aws-sdk:${extra.service}`,
      pattern: 'request-response' as const,
      grants: [],
      docs: extra.docs,
    };
    const derived = passRoleNeed(scope, row, extra.passRole);
    if (derived) needs.push(derived);
  }
  return needs;
}

// Needs of one Distributed Map state: child executions, redrive, ItemReader, ResultWriter and bucket keys.
import { textOf } from '../model/json';
import { argumentsOf, isJsonataExpression, isObject, type JsonObject, type StateNode } from '../asl/definition';
import { bucketArn, executionArn, objectArn, stateMachineArn, underPrefix } from '../model/arns';
import type { StateMachineContext } from '../model/state-machine';
import { sampleResource } from './context';
import { DOCS, type DefinitionProblem, type Need } from './types';
import { readString, runtimeOf, type StringValue } from './values';

const READER_RESOURCE = /^arn:[^:]+:states:::s3:(getObject|listObjectsV2)$/;
const WRITER_RESOURCE = /^arn:[^:]+:states:::s3:putObject$/;
// Label rules from the Map state reference: ≤ 40 characters, none of whitespace ? * brackets : ; , \ | ^ ~ $ # % & ` " or controls.
const INVALID_LABEL_CHAR = /[\s?*<>{}[\]:;,\\|^~$#%&`"\u0000-\u001f\u007f-\u009f]/;

/** A need that exists only when a bucket uses SSE-KMS: made once its key is known (template, CLI or live). */
export class BucketKeyNeed {
  constructor(
    readonly bucket: string,
    readonly make: (key: string) => Need,
  ) {}
}

/** Needs in definition order; bucket key needs wait for the keys, which a live path looks up afterwards. */
export type NeedSlot = Need | BucketKeyNeed;

export function distributedMapNeeds(
  state: StateNode,
  ctx: StateMachineContext,
): { needs: NeedSlot[]; problems: DefinitionProblem[] } {
  const needs: NeedSlot[] = [];
  const problems: DefinitionProblem[] = [];
  const body = state.body;
  const at = (field: string) => ({ state: state.path, field });

  if (ctx.type === 'EXPRESS') {
    problems.push({
      kind: 'distributed-map-in-express',
      ...at('ItemProcessor.ProcessorConfig.Mode'),
      message: `Distributed Map "${state.name}" is in an EXPRESS state machine; Step Functions supports Distributed mode only in STANDARD state machines`,
    });
  }
  const label = typeof body.Label === 'string' ? body.Label : undefined;
  if (label !== undefined && (label.length > 40 || INVALID_LABEL_CHAR.test(label))) {
    problems.push({
      kind: 'invalid-label',
      ...at('Label'),
      message: `Label "${label}" must be at most 40 characters without whitespace, wildcards, brackets or punctuation such as : ; , $ #`,
    });
  }

  needs.push(
    {
      sid: 'StartChildWorkflowExecutions',
      actions: ['states:StartExecution'],
      resources: [stateMachineArn(ctx)],
      tier: 'required',
      source: at('ItemProcessor.ProcessorConfig.Mode'),
      why: {
        text: 'A Distributed Map starts each child workflow with StartExecution on its own state machine, under this role.',
        docs: DOCS.distributedMap,
      },
      runtime: false,
    },
    // Recommended, not required: the AWS page asks for DescribeExecution on execution:<name>:*, yet most public
    // samples run without it (and without StopExecution); the child executions' own ARNs are execution:<name>/…,
    // so that form is an accepted alternative (optional: granting it is not over-broad).
    {
      sid: 'ManageChildExecutions',
      actions: ['states:DescribeExecution'],
      resources: [executionArn(ctx, ctx.name)],
      tier: 'recommended',
      source: at('ItemProcessor.ProcessorConfig.Mode'),
      why: {
        text: 'The AWS policy for Distributed Map lets the Map Run describe the executions it starts; runs are known to succeed without it.',
        docs: DOCS.distributedMap,
      },
      runtime: false,
    },
    {
      sid: 'ManageChildExecutions',
      actions: ['states:StopExecution'],
      resources: [executionArn(ctx, ctx.name)],
      tier: 'recommended',
      source: at('ItemProcessor.ProcessorConfig.Mode'),
      why: { text: 'Lets the Map Run stop child executions when it fails or is aborted.', docs: DOCS.distributedMap },
      runtime: false,
    },
    {
      sid: 'ManageChildExecutions',
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [executionArn(ctx, ctx.name, '/*')],
      tier: 'optional',
      source: at('ItemProcessor.ProcessorConfig.Mode'),
      why: {
        text: 'The child executions of a Map Run are execution:<name>/<label>:<id>; a grant on that form serves Describe and Stop as well.',
        docs: DOCS.distributedMap,
      },
      runtime: false,
    },
    {
      sid: 'RedriveMapRun',
      actions: ['states:RedriveExecution'],
      resources: [executionArn(ctx, `${ctx.name}/${label ?? '*'}`)],
      tier: 'recommended',
      source: at(label === undefined ? 'ItemProcessor' : 'Label'),
      why: {
        text: 'Redriving the parent redrives the Map Run, which calls RedriveExecution on the labelled child executions.',
        docs: DOCS.redrive,
      },
      runtime: false,
    },
  );

  if (body.ItemReader !== undefined) needs.push(...itemReaderNeeds(state, ctx, problems));
  if (body.ResultWriter !== undefined) needs.push(...resultWriterNeeds(state, ctx, problems));
  return { needs, problems };
}

function keyNeeds(
  ctx: StateMachineContext,
  bucket: StringValue,
  actions: string[],
  base: Omit<Need, 'sid' | 'actions' | 'resources' | 'why' | 'runtime'>,
  role: 'reader' | 'writer',
  /** The objects' ARN pattern, when their keys are known before the run. */
  objects?: string,
): BucketKeyNeed[] {
  if (bucket.runtime) return [];
  // S3 calls KMS with the encryption context aws:s3:arn: the object's ARN, or the bucket's with an S3 Bucket Key.
  const bucketKey = ctx.bucketKeyEnabled?.get(bucket.value);
  const s3Arn =
    bucketKey === true
      ? bucketArn(ctx, bucket.value)
      : bucketKey === false && objects !== undefined
        ? sampleResource(objects)
        : undefined;
  return [
    new BucketKeyNeed(bucket.value, (key) => ({
      ...base,
      sid: role === 'reader' ? 'DecryptItemReaderObjects' : 'EncryptResultWriterObjects',
      actions,
      resources: [key],
      context: {
        'kms:ViaService': [`s3.${ctx.region}.amazonaws.com`],
        'kms:EncryptionContextKeys': ['aws:s3:arn'],
        ...(s3Arn !== undefined ? { 'kms:EncryptionContext:aws:s3:arn': [s3Arn] } : {}),
      },
      why:
        role === 'reader'
          ? {
              text: `Bucket ${bucket.value} uses SSE-KMS: reading its objects decrypts them with this key.`,
              docs: DOCS.s3Kms,
            }
          : {
              text: `Bucket ${bucket.value} uses SSE-KMS: the multipart upload of results encrypts parts and decrypts them to complete the upload.`,
              docs: DOCS.distributedMap,
            },
      runtime: false,
    })),
  ];
}

function itemReaderNeeds(state: StateNode, ctx: StateMachineContext, problems: DefinitionProblem[]): NeedSlot[] {
  const reader = state.body.ItemReader;
  if (!isObject(reader)) {
    problems.push({
      kind: 'invalid-item-reader',
      state: state.path,
      field: 'ItemReader',
      message: 'ItemReader must be an object',
    });
    return [];
  }
  const resource = typeof reader.Resource === 'string' ? reader.Resource : '';
  const match = READER_RESOURCE.exec(resource);
  if (!match) return [];
  const args = argumentsOf(reader, state.queryLanguage);
  const argsField = `ItemReader.${args?.field ?? 'Parameters'}`;
  const config: JsonObject = isObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const bucket = readString(args?.value, 'Bucket') ?? {
    value: '*',
    runtime: true,
    expression: 'missing Bucket',
    field: 'Bucket',
  };
  const source = { state: state.path, field: `${argsField}.${bucket.field}` };
  const needs: NeedSlot[] = [];

  if (match[1] === 'listObjectsV2') {
    const prefix = readString(args?.value, 'Prefix');
    const scoped = prefix !== undefined && !prefix.runtime;
    const listNeed: Need = {
      sid: 'ListItemReaderBucket',
      actions: ['s3:ListBucket'],
      resources: [bucketArn(ctx, bucket.value)],
      tier: 'required',
      source,
      why: {
        text: 'ItemReader s3:listObjectsV2 lists the bucket; scope it with an s3:prefix condition.',
        docs: DOCS.distributedMap,
      },
      ...runtimeOf(bucket, prefix),
    };
    if (scoped) {
      listNeed.conditions = { StringLike: { 's3:prefix': [prefix.value] } };
      listNeed.context = { 's3:prefix': [prefix.value] };
    }
    needs.push(listNeed);
    const flatten = config.Transformation === 'LOAD_AND_FLATTEN';
    if (flatten) {
      const keyPattern = prefix === undefined ? '*' : prefix.runtime ? '*' : `${prefix.value}*`;
      needs.push({
        sid: 'ReadItemReaderObjects',
        actions: ['s3:GetObject'],
        resources: [objectArn(ctx, bucket.value, keyPattern)],
        tier: 'required',
        source: { state: state.path, field: 'ItemReader.ReaderConfig.Transformation' },
        why: { text: 'LOAD_AND_FLATTEN reads the content of every listed object.', docs: DOCS.itemReader },
        ...runtimeOf(bucket, prefix),
      });
      const objects = prefix?.runtime === true ? undefined : objectArn(ctx, bucket.value, keyPattern);
      needs.push(...keyNeeds(ctx, bucket, ['kms:Decrypt'], { tier: 'required', source }, 'reader', objects));
    }
    return needs;
  }

  const key = readString(args?.value, 'Key') ?? { value: '*', runtime: true, expression: 'missing Key', field: 'Key' };
  // A whole-object JSONata Arguments may or may not pin a version; S3 then authorises the plain GetObject.
  const version = isJsonataExpression(args?.value) ? undefined : readString(args?.value, 'VersionId');
  const inventory = config.InputType === 'MANIFEST' || config.ManifestType === 'S3_INVENTORY';
  const athena = config.ManifestType === 'ATHENA_DATA';
  const getAction = version === undefined ? 's3:GetObject' : 's3:GetObjectVersion';
  needs.push({
    sid: 'ReadItemReaderObjects',
    actions: [getAction],
    resources: [objectArn(ctx, bucket.value, key.value)],
    tier: 'required',
    source: { state: state.path, field: `${argsField}.${key.field}` },
    why: {
      text: inventory
        ? 'The S3 inventory manifest.json lists the data files to read.'
        : athena
          ? 'The Athena UNLOAD manifest lists the data files to read.'
          : version === undefined
            ? `ItemReader s3:getObject reads the ${textOf(config.InputType ?? 'dataset')} object.`
            : 'ItemReader pins a VersionId, and S3 authorises reading a specific version with s3:GetObjectVersion.',
      docs: DOCS.itemReader,
    },
    ...runtimeOf(bucket, key),
    ...(version !== undefined && !version.runtime ? { context: { 's3:VersionId': [version.value] } } : {}),
  });
  if (inventory) {
    // manifest.json sits in <dest-prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/; the data files in <config-id>/data/.
    const segments = key.runtime ? [] : key.value.split('/');
    const configFolder = segments.length >= 3 ? segments.slice(0, -2).join('/') : '';
    needs.push({
      sid: 'ReadItemReaderObjects',
      actions: ['s3:GetObject'],
      resources: [
        objectArn(ctx, bucket.value, key.runtime ? '*' : configFolder === '' ? 'data/*' : `${configFolder}/data/*`),
      ],
      tier: 'required',
      source: { state: state.path, field: `${argsField}.${key.field}` },
      why: {
        text: 'The inventory data files live under <config-id>/data/ in the inventory destination bucket.',
        docs: DOCS.distributedMap,
      },
      ...runtimeOf(bucket, key),
    });
  }
  if (athena) {
    needs.push({
      sid: 'ReadAthenaDataFiles',
      actions: ['s3:GetObject'],
      resources: [`arn:${ctx.partition}:s3:::*/*`],
      tier: 'required',
      source: { state: state.path, field: 'ItemReader.ReaderConfig.ManifestType' },
      why: {
        text: 'The data files of an Athena UNLOAD sit at its TO location, which only the manifest names.',
        docs: DOCS.itemReader,
      },
      runtime: true,
      runtimeExpression: `the data files listed in the manifest ${key.value}`,
    });
  }
  // Manifests and Athena data files name further objects: the context names the one read first.
  const objects = key.runtime || inventory || athena ? undefined : objectArn(ctx, bucket.value, key.value);
  needs.push(...keyNeeds(ctx, bucket, ['kms:Decrypt'], { tier: 'required', source }, 'reader', objects));
  return needs;
}

function resultWriterNeeds(state: StateNode, ctx: StateMachineContext, problems: DefinitionProblem[]): NeedSlot[] {
  const writer = state.body.ResultWriter;
  if (!isObject(writer) || (writer.Resource === undefined && writer.WriterConfig === undefined)) {
    problems.push({
      kind: 'invalid-result-writer',
      state: state.path,
      field: 'ResultWriter',
      message: 'ResultWriter needs a Resource with Bucket and Prefix, a WriterConfig, or both',
    });
    return [];
  }
  const resource = typeof writer.Resource === 'string' ? writer.Resource : '';
  if (!WRITER_RESOURCE.test(resource)) return [];
  const args = argumentsOf(writer, state.queryLanguage);
  const argsField = `ResultWriter.${args?.field ?? 'Parameters'}`;
  const bucket = readString(args?.value, 'Bucket') ?? {
    value: '*',
    runtime: true,
    expression: 'missing Bucket',
    field: 'Bucket',
  };
  const prefix = readString(args?.value, 'Prefix');
  const keys = prefix === undefined ? '*' : prefix.runtime ? '*' : underPrefix(prefix.value);
  const source = { state: state.path, field: `${argsField}.${bucket.field}` };
  const base = {
    sid: 'WriteMapRunResults',
    resources: [objectArn(ctx, bucket.value, keys)],
    source,
    ...runtimeOf(bucket, prefix),
  };
  return [
    {
      ...base,
      actions: ['s3:PutObject'],
      tier: 'required',
      why: {
        text: 'ResultWriter writes the Map Run results (manifest.json, SUCCEEDED/FAILED/PENDING files) under the prefix.',
        docs: DOCS.resultWriter,
      },
    },
    {
      ...base,
      actions: ['s3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      tier: 'recommended',
      why: {
        text: 'Results are written with multipart uploads, which list and abort parts and read them back.',
        docs: DOCS.distributedMap,
      },
    },
    ...keyNeeds(
      ctx,
      bucket,
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      { tier: 'required', source },
      'writer',
      prefix?.runtime === true ? undefined : objectArn(ctx, bucket.value, keys),
    ),
    // The Step Functions page lists kms:Encrypt for ResultWriter; S3's multipart upload page asks only for
    // GenerateDataKey and Decrypt (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html).
    ...keyNeeds(
      ctx,
      bucket,
      ['kms:Encrypt'],
      { tier: 'recommended', source },
      'writer',
      prefix?.runtime === true ? undefined : objectArn(ctx, bucket.value, keys),
    ),
  ];
}

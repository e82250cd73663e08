// Every permission a state machine's execution role needs, from its definition and settings: derived in one walk
// (deriveBaseNeeds), completed with the SSE-KMS keys of the buckets it names once those are known.
import { isDistributedMap, type Definition } from '../asl/definition';
import { stateMachineArn } from '../model/arns';
import { own } from '../model/json';
import { bucketUses } from './bucket-owners';
import { BucketKeyNeed, distributedMapNeeds, type NeedSlot } from './distributed-map';
import { taskNeeds } from './tasks';
import type { StateMachineContext } from '../model/state-machine';
import { DOCS, type Need, type NeedsResult } from './types';

export * from './types';

const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

/** Needs derived in one walk of the definition, before the SSE-KMS keys of the buckets it names are known. */
export interface BaseNeeds {
  /** Static bucket names (ItemReader, ResultWriter) whose SSE-KMS key adds a need; each once. */
  keyedBuckets: string[];
  /** The needs, with a key need for each keyed bucket `keyOf` knows a key for. Walks nothing again. */
  withBucketKeys(keyOf: (bucket: string) => string | undefined): NeedsResult;
}

export function deriveBaseNeeds(definition: Definition, ctx: StateMachineContext): BaseNeeds {
  const slots: NeedSlot[] = [];
  const problems: NeedsResult['problems'] = [];
  const unmodeled: NeedsResult['unmodeled'] = [];
  const distributedMaps: string[] = [];
  for (const state of definition.states) {
    if (isDistributedMap(state.body)) {
      distributedMaps.push(state.path);
      const { needs, problems: found } = distributedMapNeeds(state, ctx);
      slots.push(...needs);
      problems.push(...found);
    } else if (state.type === 'Task') {
      const { needs, unmodeled: found } = taskNeeds(state, ctx);
      slots.push(...needs);
      unmodeled.push(...found);
    }
  }
  slots.push(...settingNeeds(ctx));
  const keyedBuckets = [...new Set(slots.filter((slot) => slot instanceof BucketKeyNeed).map((slot) => slot.bucket))];
  const buckets = bucketUses(definition);
  return {
    keyedBuckets,
    withBucketKeys: (keyOf) => ({
      needs: slots.flatMap((slot) => {
        if (!(slot instanceof BucketKeyNeed)) return [slot];
        const key = keyOf(slot.bucket);
        return key === undefined ? [] : [slot.make(key)];
      }),
      problems: [...problems],
      unmodeled: [...unmodeled],
      distributedMaps: [...distributedMaps],
      bucketUses: [...buckets],
    }),
  };
}

/** Every need, with the bucket keys the context knows (template, CLI). */
export function deriveNeeds(definition: Definition, ctx: StateMachineContext): NeedsResult {
  return deriveBaseNeeds(definition, ctx).withBucketKeys((bucket) => own(ctx.bucketKeys, bucket));
}

function settingNeeds(ctx: StateMachineContext): Need[] {
  const needs: Need[] = [];
  if (ctx.logging) {
    needs.push({
      sid: 'DeliverLogs',
      actions: LOG_DELIVERY_ACTIONS,
      resources: ['*'],
      tier: 'required',
      source: { state: '$', field: 'LoggingConfiguration' },
      why: {
        text: 'Logging to CloudWatch Logs sets up a log delivery; these actions support no resource-level scoping.',
        docs: DOCS.logging,
      },
      runtime: false,
    });
  }
  if (ctx.tracing) {
    needs.push({
      sid: 'WriteTraces',
      actions: XRAY_ACTIONS,
      resources: ['*'],
      tier: 'required',
      source: { state: '$', field: 'TracingConfiguration' },
      why: {
        text: 'X-Ray tracing sends segments and sampling requests; these actions support no resource-level scoping.',
        docs: DOCS.xray,
      },
      runtime: false,
    });
  }
  if (ctx.encryptionKey !== undefined) {
    const arn = stateMachineArn(ctx);
    needs.push({
      sid: 'UseStateMachineKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [ctx.encryptionKey],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': [arn] } },
      context: {
        'kms:EncryptionContext:aws:states:stateMachineArn': [arn],
        'kms:EncryptionContextKeys': ['aws:states:stateMachineArn'],
      },
      tier: 'required',
      source: { state: '$', field: 'EncryptionConfiguration.KmsKeyId' },
      why: { text: 'The state machine encrypts its data with this customer managed key.', docs: DOCS.encryption },
      runtime: false,
    });
  }
  return needs;
}

// deriveNeeds: every permission a state machine's execution role needs, from its definition and settings.
import { isDistributedMap, type Definition } from '../asl/definition';
import { stateMachineArn } from '../model/arns';
import { distributedMapNeeds } from './distributed-map';
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

export function deriveNeeds(definition: Definition, ctx: StateMachineContext): NeedsResult {
  const result: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [] };
  for (const state of definition.states) {
    if (isDistributedMap(state.body)) {
      result.distributedMaps.push(state.path);
      const { needs, problems } = distributedMapNeeds(state, ctx);
      result.needs.push(...needs);
      result.problems.push(...problems);
    } else if (state.type === 'Task') {
      const { needs, unmodeled } = taskNeeds(state, ctx);
      result.needs.push(...needs);
      result.unmodeled.push(...unmodeled);
    }
  }
  result.needs.push(...settingNeeds(ctx));
  return result;
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

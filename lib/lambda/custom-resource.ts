// Custom::DistributedMapPermissionCheck: Create/Update check a state machine and fail the resource with
// the findings as Reason; Delete always succeeds. The response body stays within CloudFormation's 4 KB.
import { applySubstitutions } from '../cfn/intrinsics';
import { readStateMachineProperties } from '../cfn/state-machine-properties';
import { checkStateMachines } from '../checks/analyze';
import { guardedBucketKey } from '../inputs/bucket-keys';
import { definitionModel, deployedModel } from '../inputs/deployed';
import type { Backend } from '../ports/backend';
import { failOnOf, failsAt, verdictOf } from '../report/report';
import { findingsMessage } from '../report/message';
import { isRecord } from '../model/json';
import { parseStackId } from '../model/stack';
import { liveResourcePolicies } from '../checks/resource-side';

export interface CustomResourceEvent {
  /** Create, Update or Delete from CloudFormation; anything else is answered FAILED. */
  RequestType: string;
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType?: string;
  PhysicalResourceId?: unknown;
  ResourceProperties?: unknown;
}

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

export const MAX_RESPONSE_BYTES = 4096;

/** CloudFormation's limit on a PhysicalResourceId (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html). */
const MAX_PHYSICAL_ID_BYTES = 1024;

/** The longest start of `text` within `max` UTF-8 bytes (whole characters only): deterministic, so stable. */
function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    end += char.length;
  }
  return text.slice(0, end);
}

function base(event: CustomResourceEvent): Omit<CustomResourceResponse, 'Status'> {
  const given = event.PhysicalResourceId;
  return {
    // Stable across updates: a changed id would make CloudFormation replace the resource.
    PhysicalResourceId:
      typeof given === 'string' && given !== '' && Buffer.byteLength(given) <= MAX_PHYSICAL_ID_BYTES
        ? given
        : clipBytes(`dmap-guard-${event.LogicalResourceId}`, MAX_PHYSICAL_ID_BYTES),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

/** Trim Reason once, by what the body is over, so the JSON body fits in 4 KB (the rest of it is fixed). */
export function fitResponse(response: CustomResourceResponse): CustomResourceResponse {
  const over = Buffer.byteLength(JSON.stringify(response)) - MAX_RESPONSE_BYTES;
  if (over <= 0 || response.Reason === undefined) return response;
  // Characters may take several bytes and escapes more than one: cut by bytes of the encoded text, then by
  // characters until it fits; each step only shortens, so it ends.
  let reason = response.Reason.slice(0, Math.max(0, response.Reason.length - over - 1));
  let fitted: CustomResourceResponse = { ...response, Reason: `${reason}…` };
  while (reason.length > 0 && Buffer.byteLength(JSON.stringify(fitted)) > MAX_RESPONSE_BYTES) {
    reason = reason.slice(0, Math.max(0, reason.length - Math.max(1, Math.ceil(reason.length / 8))));
    fitted = { ...response, Reason: `${reason}…` };
  }
  return fitted;
}

const CHAIN_LABEL = /^[a-z0-9-]+$/;

/**
 * An S3 endpoint ("bucket.s3.us-east-1.amazonaws.com", "s3-external-1.amazonaws.com", ….amazonaws.com.cn), as
 * `/(^|\.)s3[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$/` accepts it, checked label by label in linear time.
 */
export function isS3Hostname(hostname: string): boolean {
  const labels = hostname.split('.');
  if (labels.at(-1) === 'cn') labels.pop();
  if (labels.pop() !== 'com') return false;
  const service = labels.pop();
  if (service === 's3-amazonaws') return true;
  if (service !== 'amazonaws') return false;
  // Back from "amazonaws": labels of [a-z0-9-] until "s3" or "s3-…" (the dash variant joins its first label).
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i] as string;
    if (!CHAIN_LABEL.test(label)) return false;
    if (label === 's3' || (label.startsWith('s3-') && label.length > 3)) return true;
  }
  return false;
}

/** CloudFormation's ResponseURL is a presigned S3 URL over https; anything else is not answered. */
export function isResponseUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && isS3Hostname(parsed.hostname);
  } catch {
    return false;
  }
}

export function failure(event: CustomResourceEvent, reason: string): CustomResourceResponse {
  return fitResponse({ Status: 'FAILED', Reason: reason, ...base(event) });
}

export async function customResourceResponse(
  event: CustomResourceEvent,
  backend: Backend,
): Promise<CustomResourceResponse> {
  if (event.RequestType === 'Delete') return { Status: 'SUCCESS', ...base(event) };
  if (event.RequestType !== 'Create' && event.RequestType !== 'Update')
    return failure(event, `RequestType ${JSON.stringify(event.RequestType)} is not Create, Update or Delete`);
  const props = isRecord(event.ResourceProperties) ? event.ResourceProperties : {};
  const failOn = failOnOf(props.FailOn);
  const stack = parseStackId(event.StackId);
  let machine;
  if (typeof props.StateMachineArn === 'string') {
    machine = await deployedModel(props.StateMachineArn, backend);
  } else if (
    (props.Definition !== undefined || typeof props.DefinitionString === 'string') &&
    typeof props.RoleArn === 'string'
  ) {
    if (!stack) return failure(event, `StackId "${event.StackId}" is not a stack ARN`);
    // The properties mirror AWS::StepFunctions::StateMachine's, and are read the same way.
    const read = readStateMachineProperties(props, { where: stack });
    const definition = read.definition.kind === 'inline' ? read.definition.value : undefined;
    machine = await definitionModel(
      {
        definition: applySubstitutions(definition, read.substitutions),
        roleArn: props.RoleArn,
        name: typeof props.StateMachineName === 'string' ? props.StateMachineName : event.LogicalResourceId,
        partition: stack.partition,
        region: stack.region,
        account: stack.account,
        type: read.type,
        logging: read.logging,
        tracing: read.tracing,
        ...(read.encryptionKey !== undefined ? { encryptionKey: read.encryptionKey } : {}),
        source: stack.stackName,
        id: event.LogicalResourceId,
      },
      backend,
    );
  } else {
    return failure(event, 'Properties need StateMachineArn, or Definition (or DefinitionString) with RoleArn');
  }
  const { findings } = await checkStateMachines([machine], {
    simulator: backend.simulator([]),
    bucketKey: guardedBucketKey(backend, [machine]),
    resourcePolicy: liveResourcePolicies(backend),
  });
  const active = findings.filter((f) => !f.suppressed);
  const failing = active.filter((f) => failsAt(f, failOn));
  const data = {
    Verdict: verdictOf(active).toUpperCase(),
    Errors: String(active.filter((f) => f.severity === 'error').length),
    Warnings: String(active.filter((f) => f.severity === 'warning').length),
  };
  if (failing.length > 0) {
    return fitResponse({
      Status: 'FAILED',
      Reason: findingsMessage(
        `dmap-guard: ${machine.id} is ${verdictOf(active) === 'unverified' ? 'UNVERIFIED' : 'not compliant'} (fails on ${failOn}).`,
        active,
        MAX_RESPONSE_BYTES,
      ),
      ...base(event),
      Data: data,
    });
  }
  return { Status: 'SUCCESS', ...base(event), Data: data };
}

// The ports between the pure core and the outside world. lib/aws implements them with the AWS SDK;
// lib/offline implements them offline (snapshot, local files, the embedded evaluator).
import type { Simulator } from './simulator';
import type { RoleModel } from '../model/state-machine';
import type { AccountSnapshot } from '../model/snapshot';
import type { KeyGrant, Unreadable } from '../model/resource-policies';

/** A resource policy as read: the document (null: the resource has none), why it could not be read, or undefined
 * when this backend cannot read it at all (offline). */
export type PolicyRead = { document: unknown } | Unreadable | undefined;

export interface DeployedStateMachine {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  roleArn: string;
  logging: boolean;
  tracing: boolean;
  encryptionKey?: string;
}

/**
 * A read the account refused or could not serve (AccessDenied, NoSuchKey, throttling after the SDK's retries,
 * KMS denied): unverifiable for what it touches, not a failure of the whole check.
 */
export class UnreadableError extends Error {
  override name = 'UnreadableError';
  constructor(
    /** What could not be read: "definition s3://bucket/key". */
    readonly subject: string,
    /** Why: "GetObject was denied (AccessDenied: …)". */
    readonly reason: string,
    /** What the user can do about it. */
    readonly remedy: string,
  ) {
    super(`${subject}: ${reason}`);
  }
}

export interface Backend {
  /** Decides requests for a role; `pendingPolicies` are documents the role will have but IAM does not know yet. */
  simulator(pendingPolicies: unknown[]): Simulator;
  /** The role's trust, inline, managed and boundary policies. */
  readRole(arn: string): Promise<RoleModel>;
  /** Roles and managed policies by ARN, for template analysis of resources outside the template. */
  snapshotOf(roleArns: string[], policyArns: string[]): Promise<AccountSnapshot>;
  /** The SSE-KMS key ARN of a bucket, undefined for SSE-S3 or no default encryption. */
  bucketKey(bucket: string): Promise<string | undefined>;
  /** A stack's current template text (processed, so SAM is expanded), undefined when the stack has none yet. */
  stackTemplate(stackId: string): Promise<string | undefined>;
  /** The template a change set would deploy (processed), undefined when the change set has none. */
  changeSetTemplate(stackId: string, changeSetId: string): Promise<string | undefined>;
  /** Physical ids of a stack's resources by logical id (those that exist already). */
  stackResources(stackId: string): Promise<Record<string, string>>;
  /** The text of an S3 object (DefinitionS3Location); UnreadableError when the account refuses it. */
  objectText(bucket: string, key: string, version?: string): Promise<string>;
  /** GET a presigned S3 URL (hook STACK/CHANGE_SET payloads): https on an S3 host only, size-capped. */
  fetchPayload(url: string): Promise<string>;
  /** kms:GetKeyPolicy (the "default" policy, the only name KMS supports). */
  keyPolicy(keyArn: string): Promise<PolicyRead>;
  /** kms:ListGrants for the role as grantee principal. */
  keyGrants(keyArn: string, roleArn: string): Promise<KeyGrant[] | Unreadable | undefined>;
  /** s3:GetBucketPolicy; NoSuchBucketPolicy is no policy (document null). */
  bucketPolicy(bucket: string): Promise<PolicyRead>;
  /** s3:GetBucketLocation: the bucket's Region; undefined offline or for a bucket that does not exist yet. */
  bucketRegion(bucket: string): Promise<string | Unreadable | undefined>;
  /** UnreadableError when the machine's key cannot be used to decrypt its definition. */
  describeStateMachine(arn: string): Promise<DeployedStateMachine>;
  listStateMachines(): Promise<string[]>;
}

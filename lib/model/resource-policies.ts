// Resource policies that decide a role's access next to its own policies: KMS key policies and grants, S3 bucket
// policies. Keyed by ARN (a key ARN, or arn:<partition>:s3:::<bucket>) in Maps, since the names come from input.

/** A read that failed: why, so the need is reported unverifiable, never passed. */
export interface Unreadable {
  unreadable: string;
}

/** A KMS grant for the role (ListGrants), as far as it decides a request. */
export interface KeyGrant {
  grantId?: string;
  operations: string[];
  /** EncryptionContextEquals / EncryptionContextSubset constraints, when the grant has them. */
  encryptionContextEquals?: Record<string, string>;
  encryptionContextSubset?: Record<string, string>;
}

export interface KnownResourcePolicy {
  /** The policy document; null when the resource has none (a bucket without a bucket policy). */
  document: unknown;
  /** Where it was read: "template.yaml (KeyPolicy of DataKey)", "resource-policies.json", "s3:GetBucketPolicy". */
  source: string;
  /** The resource's account, when known (a key ARN names it; a template resource is in the stack's account). */
  account?: string;
  /** The resource's Region, when known (a template's bucket is in its stack's Region). */
  region?: string;
  /** The key's grants for the role: known (possibly none), unreadable, or undefined when not read. */
  grants?: KeyGrant[] | Unreadable;
}

export type ResourcePolicies = ReadonlyMap<string, KnownResourcePolicy>;

export function isUnreadable(value: unknown): value is Unreadable {
  return typeof value === 'object' && value !== null && typeof (value as Unreadable).unreadable === 'string';
}

export function bucketArnOf(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

// The state machine model every input resolves to: template, hook event or deployed ARN.

/** Where something came from in a template, for line numbers and suppressions. */
export interface Origin {
  file: string;
  logicalId: string;
  /** Path inside the template (["Resources", id, "Properties", …]). */
  path: Array<string | number>;
}

export interface PolicySource {
  /** Stable id: managed policy ARN, "<RoleLogicalId>/<PolicyName>", "<PolicyLogicalId>"… */
  id: string;
  /** Readable name for messages. */
  name: string;
  document: unknown;
  origin?: Origin;
  /** The action list is fixed by AWS (managed policies, SAM connectors): only what its wildcards reach is judged. */
  fixedActions?: boolean;
}

export interface RoleModel {
  arn: string;
  identityPolicies: PolicySource[];
  boundary?: PolicySource;
  /** The trust policy (AssumeRolePolicyDocument), when known. */
  trust?: PolicySource;
  /** The role's tags (aws:PrincipalTag/*), when read; undefined when unknown. */
  tags?: Map<string, string>;
  /** Parts of the role dmap-guard could not read; any entry means a pass cannot be proven. */
  unknown: string[];
  origin?: Origin;
}

export interface Suppression {
  rule: string;
  reason: string;
  /** Optional narrowing: only findings on this action and/or resource pattern. */
  action?: string;
  resource?: string;
}

export interface StateMachineContext {
  /** Name of the state machine (the last segment of its ARN). */
  name: string;
  partition: string;
  region: string;
  account: string;
  type: 'STANDARD' | 'EXPRESS';
  /** SSE-KMS key per bucket name, from the template, the CLI or GetBucketEncryption. */
  bucketKeys: Record<string, string>;
  /** Whether a bucket's SSE-KMS uses an S3 Bucket Key (BucketKeyEnabled), per bucket name, where known. */
  bucketKeyEnabled?: ReadonlyMap<string, boolean>;
  logging: boolean;
  tracing: boolean;
  /** Customer managed key of the state machine itself. */
  encryptionKey?: string;
}

export interface StateMachineModel {
  /** Logical id in a template, or the ARN for a deployed state machine. */
  id: string;
  arn: string;
  context: StateMachineContext;
  /** The definition as an object or JSON text, after DefinitionSubstitutions. */
  definition: unknown;
  /** Why the definition could not be read (in S3, unreadable file), when it could not. */
  definitionUnavailable?: string;
  role?: RoleModel;
  /** The role as referenced, when dmap-guard could not resolve it to a RoleModel. */
  roleReference?: string;
  origin?: Origin;
  /** Template, for findings ("template.yaml"), or the account for deployed machines. */
  source: string;
  suppressions: Suppression[];
}

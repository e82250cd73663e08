// The state machine model every input resolves to: template, hook event or deployed ARN, and its one factory.
import type { ResourcePolicies } from './resource-policies';

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
  /**
   * SSE-KMS key per bucket name, from the template or the CLI; read with `own` (names come from input).
   * Live paths ask the backend for the rest while checking (CheckOptions.bucketKey).
   */
  bucketKeys: Record<string, string>;
  /** Whether a bucket's SSE-KMS uses an S3 Bucket Key (BucketKeyEnabled), per bucket name, where known. */
  bucketKeyEnabled?: ReadonlyMap<string, boolean>;
  logging: boolean;
  tracing: boolean;
  /** Customer managed key of the state machine itself. */
  encryptionKey?: string;
}

/**
 * Something dmap-guard could not decide for a machine (an unreadable definition or resource, a parameter without
 * a value, an integration it does not model …), with what the user can do about it. Reported by the
 * `unverifiable` rule; a machine with any is UNVERIFIED, never PASS.
 */
export interface Unverifiable {
  /** What could not be decided: "definition s3://bucket/key", "parameter Env", "context key aws:SourceIp". */
  subject: string;
  /** Why: "GetObject was denied (AccessDenied)". */
  reason: string;
  /** What the user can do: "grant the hook's role s3:GetObject on …", "pass --parameter-overrides Env=…". */
  remedy: string;
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
  /** What the input could not read or decide for this machine; see Unverifiable. */
  unverifiable: Unverifiable[];
  /** Key and bucket policies known before checking (template, --resource-policies), by key or bucket ARN. */
  resourcePolicies?: ResourcePolicies;
}

/** What every input knows of a state machine; the rest has defaults. */
export interface StateMachineModelInput {
  id: string;
  name: string;
  partition: string;
  region: string;
  account: string;
  /** Defaults to the ARN the name gives in that partition, region and account. */
  arn?: string;
  type?: 'STANDARD' | 'EXPRESS';
  definition: unknown;
  definitionUnavailable?: string;
  bucketKeys?: Record<string, string>;
  logging?: boolean;
  tracing?: boolean;
  encryptionKey?: string;
  role?: RoleModel;
  roleReference?: string;
  origin?: Origin;
  source: string;
  suppressions?: Suppression[];
  unverifiable?: Unverifiable[];
  resourcePolicies?: ResourcePolicies;
}

/** The one way a StateMachineModel is made, so template, hook, custom resource, validate and audit agree. */
export function stateMachineModel(input: StateMachineModelInput): StateMachineModel {
  const context: StateMachineContext = {
    name: input.name,
    partition: input.partition,
    region: input.region,
    account: input.account,
    type: input.type ?? 'STANDARD',
    bucketKeys: input.bucketKeys ?? {},
    logging: input.logging ?? false,
    tracing: input.tracing ?? false,
  };
  if (input.encryptionKey !== undefined) context.encryptionKey = input.encryptionKey;
  const model: StateMachineModel = {
    id: input.id,
    arn: input.arn ?? `arn:${input.partition}:states:${input.region}:${input.account}:stateMachine:${input.name}`,
    context,
    definition: input.definition,
    source: input.source,
    suppressions: input.suppressions ?? [],
    unverifiable: input.unverifiable ?? [],
  };
  if (input.definitionUnavailable !== undefined) model.definitionUnavailable = input.definitionUnavailable;
  if (input.role !== undefined) model.role = input.role;
  if (input.roleReference !== undefined) model.roleReference = input.roleReference;
  if (input.origin !== undefined) model.origin = input.origin;
  if (input.resourcePolicies !== undefined) model.resourcePolicies = input.resourcePolicies;
  return model;
}

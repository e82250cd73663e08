// The shape of the integration table: one row per optimized integration and pattern, with the IAM policy the
// Step Functions documentation gives for it, written as templates over the call's arguments.
import type { Tier } from '../types';

export type Pattern = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';

/**
 * An ARN template. `${Partition}`, `${Region}`, `${Account}` and `${StateMachineName}` come from the state machine;
 * `{Field.Path}` reads an argument of the call (JSONPath Parameters or JSONata Arguments), `{Field|transform}`
 * reads and reshapes it (see templates.ts). A field given at run time makes the resource a run-time value.
 */
export type ArnTemplate = string;

export interface GrantSpec {
  actions: string[];
  resources: ArnTemplate[];
  why: string;
  /** Default `required`. `optional` is what the docs grant for some calls only: granting it is not over-broad. */
  tier?: Tier;
  /** The grant applies only when this argument is given (`Field`) or has this value (`Field=VALUE`). */
  when?: string;
  /** Statement id in the generated policy (default: from the integration name). */
  sid?: string;
  /** Always a run-time value (what the task reads or writes is decided by, e.g., the SQL text). */
  runtime?: string;
  /** Request context the service sends (templates allowed), simulated and required as a StringEquals condition. */
  context?: Record<string, ArnTemplate>;
  /** Context keys the documented policy matches with StringLike rather than StringEquals. */
  like?: string[];
}

export interface PassRoleSpec {
  /** Argument holding the role (name or ARN); absent from the call → no need. */
  field: string;
  /** The service principal the role is passed to (iam:PassedToService). */
  service: string;
  /** Set when the role is not in the call's arguments at all (ECS task definition roles). */
  hidden?: string;
  /** The argument is an instance profile, whose role dmap-guard cannot read from the definition. */
  instanceProfile?: boolean;
  /** A hidden role needs no grant when all these arguments name the roles instead. */
  overriddenBy?: string[];
}

export interface IntegrationRow {
  /** `service:api` as in `arn:aws:states:::service:api`, or `aws-sdk:service:api` for SDK calls modelled here. */
  integration: string;
  pattern: Pattern;
  grants: GrantSpec[];
  passRoles?: PassRoleSpec[];
  /** Managed EventBridge rule a `.sync` task keeps up to date (events:PutTargets, PutRule, DescribeRule). */
  rule?: string;
  /** Values the service uses when an argument is absent. */
  defaults?: Record<string, string>;
  /** What dmap-guard cannot check for this integration, reported by the unverifiable rule. */
  unverifiable?: string;
  /** Only when this argument has this value (`Field=VALUE`). */
  unverifiableWhen?: string;
  /** Statement id of the managed-rule need (default: from the integration name). */
  ruleSid?: string;
  /** S3 objects the service reads or writes with the execution role's own permissions (README table). */
  readsS3?: string;
  docs: string;
}

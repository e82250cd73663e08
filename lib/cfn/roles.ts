// IAM roles and policies in a template, joined to their roles by name in any order, plus the managed
// policies and roles outside the template looked up in the snapshot.
import { displayValue, unresolvedMarkerIn } from '../model/arns';
import { isRecord, textOf } from '../model/json';
import { managedPolicy, snapshotRole, type AccountSnapshot } from '../model/snapshot';
import type { Origin, PolicySource, RoleModel } from '../model/state-machine';
import type { ResourceValues } from './resources';
import type { ManagedPolicyLookup, TemplateAnalysis } from './template';

/** Roles and managed policies outside the template that the analysis looked up in the snapshot. */
export interface ExternalReferences {
  roles: Set<string>;
  policies: Set<string>;
}

/** Snapshot look-ups that remember what was asked, so a live backend can fetch exactly those. */
export class Lookups {
  readonly external: ExternalReferences = { roles: new Set(), policies: new Set() };
  constructor(
    readonly snapshot: AccountSnapshot | undefined,
    /** AWS managed policy documents known offline (lib/offline/managed-policies.ts), after the snapshot's. */
    private readonly managedPolicies?: ManagedPolicyLookup,
  ) {}
  policy(arn: string): PolicySource | string {
    const found = managedPolicy(this.snapshot, arn);
    if (typeof found !== 'string') return found;
    const known = this.managedPolicies?.(arn);
    if (known) return known;
    this.external.policies.add(arn);
    return found;
  }
  role(arn: string): RoleModel {
    this.external.roles.add(arn);
    return snapshotRole(this.snapshot, arn);
  }
  roleArns(): string[] {
    return this.snapshot ? [...this.snapshot.roles.keys()] : [];
  }
}

export function policySource(id: string, name: string, document: unknown, origin: Origin): PolicySource {
  return { id, name, document, origin };
}

/** Roles defined in the template (by ARN), with every policy attached to them anywhere in the template. */
export function collectRoles(t: TemplateAnalysis, lookups: Lookups): Map<string, RoleModel> {
  const byArn = new Map<string, RoleModel>();
  const byName = new Map<string, RoleModel>();
  const templatePolicies = new Map<string, PolicySource>();
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::IAM::ManagedPolicy') continue;
    const arn = textOf(t.values(id)?.ref);
    templatePolicies.set(
      arn,
      policySource(
        id,
        `managed policy ${id}`,
        t.resolve(t.properties(id).PolicyDocument),
        t.origin(id, 'Properties', 'PolicyDocument'),
      ),
    );
  }
  const attachManaged = (role: RoleModel, arn: unknown, label = '') => {
    const key = textOf(arn);
    const policy = templatePolicies.get(key) ?? lookups.policy(key);
    if (typeof policy === 'string') role.unknown.push(`${label}${policy}`);
    else return policy;
    return undefined;
  };

  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::IAM::Role') continue;
    const props = t.properties(id);
    const values = t.values(id) as ResourceValues;
    const role: RoleModel = {
      arn: String(values.attributes.Arn),
      identityPolicies: [],
      unknown: [],
      origin: t.origin(id),
    };
    if (props.AssumeRolePolicyDocument !== undefined) {
      role.trust = policySource(
        `${id}/AssumeRolePolicyDocument`,
        `trust policy of role ${id}`,
        t.resolve(props.AssumeRolePolicyDocument),
        t.origin(id, 'Properties', 'AssumeRolePolicyDocument'),
      );
    }
    const inline = t.resolve(props.Policies);
    if (Array.isArray(inline)) {
      inline.forEach((policy, index) => {
        if (!isRecord(policy)) return;
        const name = textOf(policy.PolicyName ?? index);
        role.identityPolicies.push(
          policySource(
            `${id}/${name}`,
            `inline policy ${name} of role ${id}`,
            policy.PolicyDocument,
            t.origin(id, 'Properties', 'Policies', index, 'PolicyDocument'),
          ),
        );
      });
    }
    const managed = t.resolve(props.ManagedPolicyArns);
    if (Array.isArray(managed))
      for (const arn of managed) {
        const policy = attachManaged(role, arn);
        if (policy) role.identityPolicies.push(policy);
      }
    if (props.PermissionsBoundary !== undefined) {
      const boundary = attachManaged(role, t.resolve(props.PermissionsBoundary), 'permissions boundary: ');
      if (boundary) role.boundary = boundary;
    }
    byArn.set(role.arn, role);
    byName.set(textOf(values.ref), role);
  }

  // Policies attached by role name, from any resource, in any order (CDK's DistributedMapPolicy comes after the machine).
  const roleByName = (name: unknown): RoleModel | undefined => {
    const key = textOf(name);
    const known = byName.get(key);
    if (known) return known;
    const arn = lookups.roleArns().find((a) => a.endsWith(`/${key}`));
    if (arn === undefined) return undefined;
    const external = lookups.role(arn);
    byArn.set(arn, external);
    byName.set(key, external);
    return external;
  };
  for (const id of t.resourceIds()) {
    const type = t.typeOf(id);
    const props = t.properties(id);
    if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
      const roleNames = t.resolve(props.Roles);
      if (!Array.isArray(roleNames)) continue;
      const policy =
        type === 'AWS::IAM::Policy'
          ? policySource(
              id,
              `policy ${id}`,
              t.resolve(props.PolicyDocument),
              t.origin(id, 'Properties', 'PolicyDocument'),
            )
          : (templatePolicies.get(textOf(t.values(id)?.ref)) as PolicySource);
      for (const name of roleNames) roleByName(name)?.identityPolicies.push(policy);
    } else if (type === 'AWS::IAM::RolePolicy') {
      const policyName = textOf(t.resolve(props.PolicyName));
      roleByName(t.resolve(props.RoleName))?.identityPolicies.push(
        policySource(
          id,
          `role policy ${policyName}`,
          t.resolve(props.PolicyDocument),
          t.origin(id, 'Properties', 'PolicyDocument'),
        ),
      );
    }
  }
  for (const role of byArn.values()) noteUnresolvedPolicies(role);
  return byArn;
}

/** The role's policies (identity and boundary) holding an unresolved marker, each with its first marker. */
export function policiesWithUnresolved(role: RoleModel): Array<{ source: PolicySource; marker: [string, string] }> {
  const found: Array<{ source: PolicySource; marker: [string, string] }> = [];
  for (const source of [...role.identityPolicies, ...(role.boundary ? [role.boundary] : [])]) {
    const marker = unresolvedMarkerIn(JSON.stringify(source.document ?? null));
    if (marker) found.push({ source, marker });
  }
  return found;
}

/** A statement that depends on a value known only at deployment can neither be credited nor judged. */
export function noteUnresolvedPolicies(role: RoleModel): void {
  for (const { source, marker } of policiesWithUnresolved(role)) {
    role.unknown.push(
      `${source.name} depends on ${displayValue(marker[0])}, known only at deployment (pass --parameter-overrides)`,
    );
  }
}

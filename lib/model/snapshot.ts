// Roles and managed policies from `aws iam get-account-authorization-details` output.
import type { PolicySource, RoleModel } from './state-machine';
import { isRecord, textOf } from './json';

export interface AccountSnapshot {
  roles: Map<string, SnapshotRole>;
  /** Managed policy ARN → default version document. */
  policies: Map<string, PolicySource>;
}

interface SnapshotRole {
  arn: string;
  name: string;
  inline: PolicySource[];
  attached: string[];
  boundary?: string;
  trust?: unknown;
}

/** Parse a snapshot; returns the problem (with its JSON path) instead of throwing. */
export function parseSnapshot(value: unknown): {
  snapshot?: AccountSnapshot;
  error?: { path: string; message: string };
} {
  if (!isRecord(value))
    return {
      error: { path: '$', message: 'expected the JSON object printed by aws iam get-account-authorization-details' },
    };
  if (!Array.isArray(value.RoleDetailList) && !Array.isArray(value.Policies)) {
    return {
      error: {
        path: '$',
        message: 'expected RoleDetailList and/or Policies (aws iam get-account-authorization-details output)',
      },
    };
  }
  const snapshot: AccountSnapshot = { roles: new Map(), policies: new Map() };
  const roles = Array.isArray(value.RoleDetailList) ? value.RoleDetailList : [];
  for (const [index, role] of roles.entries()) {
    const path = `$.RoleDetailList[${index}]`;
    if (!isRecord(role) || typeof role.Arn !== 'string' || typeof role.RoleName !== 'string')
      return { error: { path, message: 'expected a role with Arn and RoleName' } };
    const inline = (Array.isArray(role.RolePolicyList) ? role.RolePolicyList : [])
      .filter(isRecord)
      .map((p): PolicySource => ({
        id: `${role.RoleName}/${textOf(p.PolicyName)}`,
        name: `inline policy ${textOf(p.PolicyName)} of role ${role.RoleName}`,
        document: p.PolicyDocument,
      }));
    const attached = (Array.isArray(role.AttachedManagedPolicies) ? role.AttachedManagedPolicies : [])
      .filter(isRecord)
      .map((p) => textOf(p.PolicyArn));
    const entry: SnapshotRole = { arn: role.Arn, name: role.RoleName, inline, attached };
    if (role.AssumeRolePolicyDocument !== undefined) entry.trust = role.AssumeRolePolicyDocument;
    if (isRecord(role.PermissionsBoundary) && typeof role.PermissionsBoundary.PermissionsBoundaryArn === 'string')
      entry.boundary = role.PermissionsBoundary.PermissionsBoundaryArn;
    snapshot.roles.set(role.Arn, entry);
  }
  const policies = Array.isArray(value.Policies) ? value.Policies : [];
  for (const [index, policy] of policies.entries()) {
    const path = `$.Policies[${index}]`;
    if (!isRecord(policy) || typeof policy.Arn !== 'string')
      return { error: { path, message: 'expected a policy with Arn' } };
    const versions = Array.isArray(policy.PolicyVersionList) ? policy.PolicyVersionList.filter(isRecord) : [];
    const current =
      versions.find((v) => v.IsDefaultVersion === true) ??
      versions.find((v) => v.VersionId === policy.DefaultVersionId);
    if (!current)
      return {
        error: { path: `${path}.PolicyVersionList`, message: 'expected the default policy version with its Document' },
      };
    const source: PolicySource = {
      id: policy.Arn,
      name: `managed policy ${textOf(policy.PolicyName ?? policy.Arn)}`,
      document: current.Document,
    };
    if (/^arn:[^:]+:iam::aws:policy\//.test(policy.Arn)) source.fixedActions = true;
    snapshot.policies.set(policy.Arn, source);
  }
  return { snapshot };
}

/** A managed policy's document from the snapshot, or a note that it is unknown. */
export function managedPolicy(snapshot: AccountSnapshot | undefined, arn: string): PolicySource | string {
  const found = snapshot?.policies.get(arn);
  if (found) return found;
  const kind = /:iam::aws:policy\//.test(arn) ? 'AWS managed policy' : 'managed policy';
  return `${kind} ${arn} (not in the template${snapshot ? ' nor in the snapshot' : '; pass --snapshot'})`;
}

/** A role that is not defined in the template, from the snapshot. */
export function snapshotRole(snapshot: AccountSnapshot | undefined, arn: string): RoleModel {
  const role = snapshot?.roles.get(arn);
  if (!role)
    return {
      arn,
      identityPolicies: [],
      unknown: [`role ${arn} (not in the template${snapshot ? ' nor in the snapshot' : '; pass --snapshot'})`],
    };
  const model: RoleModel = { arn, identityPolicies: [...role.inline], unknown: [] };
  if (role.trust !== undefined)
    model.trust = {
      id: `${role.name}/AssumeRolePolicyDocument`,
      name: `trust policy of role ${role.name}`,
      document: role.trust,
    };
  for (const policyArn of role.attached) {
    const policy = managedPolicy(snapshot, policyArn);
    if (typeof policy === 'string') model.unknown.push(policy);
    else model.identityPolicies.push(policy);
  }
  if (role.boundary) {
    const boundary = managedPolicy(snapshot, role.boundary);
    if (typeof boundary === 'string') model.unknown.push(`permissions boundary: ${boundary}`);
    else model.boundary = boundary;
  }
  return model;
}

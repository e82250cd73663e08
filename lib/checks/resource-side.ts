// Apply the resource side to a machine's request results: find each request's key or bucket, look its policy up
// (model first, AWS managed keys, then the live account once per check) and combine it with the identity decision.
import { parseDefinition } from '../asl/definition';
import { isUnreadable, type KnownResourcePolicy, type Unreadable } from '../model/resource-policies';
import type { RoleModel, StateMachineModel } from '../model/state-machine';
import { bucketUses, otherAccountProblems } from '../needs/bucket-owners';
import type { DefinitionProblem } from '../needs/types';
import type { Backend } from '../ports/backend';
import { awsManagedKeyPolicy, combineWithResource, resourceTarget, type ResourceTarget } from './resource-access';
import type { RequestResult } from './types';

/** Reads a resource policy from the account (Backend.keyPolicy/bucketPolicy/keyGrants); undefined when not read. */
export type LiveResourcePolicy = (
  target: ResourceTarget,
  roleArn: string,
) => Promise<KnownResourcePolicy | Unreadable | undefined>;

/**
 * Resource policies read from the account: kms:GetKeyPolicy with kms:ListGrants for the role, s3:GetBucketPolicy.
 * SimulatePrincipalPolicy cannot evaluate resource policies for roles, so they are evaluated here with the same
 * request context. A failed read is unverifiable, never a pass and never a failure of the whole check.
 */
export function liveResourcePolicies(
  backend: Pick<Backend, 'keyPolicy' | 'keyGrants' | 'bucketPolicy'>,
): LiveResourcePolicy {
  return async (target, roleArn) => {
    if (target.kind === 'key') {
      const [policy, grants] = await Promise.all([
        backend.keyPolicy(target.arn),
        backend.keyGrants(target.arn, roleArn),
      ]);
      if (policy === undefined || isUnreadable(policy)) return policy;
      return {
        document: policy.document,
        source: 'kms:GetKeyPolicy',
        ...(target.account !== undefined ? { account: target.account } : {}),
        ...(grants !== undefined ? { grants } : {}),
      };
    }
    const policy = await backend.bucketPolicy(target.arn.slice(target.arn.lastIndexOf(':') + 1));
    if (policy === undefined || isUnreadable(policy)) return policy;
    return { document: policy.document, source: 's3:GetBucketPolicy' };
  };
}

const accountOf = (arn: string) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** Bucket → owner account, from ExpectedBucketOwner in the definition and from the known resource policies. */
function bucketOwners(machine: StateMachineModel): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [arn, known] of machine.resourcePolicies ?? new Map<string, KnownResourcePolicy>()) {
    const bucket = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn)?.[1];
    if (bucket !== undefined && known.account !== undefined) owners.set(bucket, known.account);
  }
  try {
    for (const use of bucketUses(parseDefinition(machine.definition)))
      if (use.owner !== undefined) owners.set(use.bucket, use.owner);
  } catch {
    // An unparsable definition is reported by invalid-definition; it has no buckets to judge.
  }
  return owners;
}

/** Listing and ResultWriter buckets the definition or the known policies place in another account. */
export function bucketAccountProblems(machine: StateMachineModel): DefinitionProblem[] {
  if (machine.definitionUnavailable !== undefined) return [];
  try {
    const owners = bucketOwners(machine);
    return otherAccountProblems(bucketUses(parseDefinition(machine.definition)), machine.context, (b) => owners.get(b));
  } catch {
    return [];
  }
}

/** What the pipeline asks its driver for: the account's policy of a key (with the role's grants) or bucket. */
export interface ResourcePolicyStep {
  kind: 'resourcePolicy';
  target: ResourceTarget;
  roleArn: string;
}
export type ResourcePolicyAnswer = KnownResourcePolicy | Unreadable | undefined;

/**
 * Combine every request result of a machine with its key or bucket policy, in place. The resource side is judged
 * when the input knows resource policies (a template, a --resource-policies file) or can read them (`live`, AWS
 * mode: each policy not known is asked for with a step); inputs that know neither keep the identity decision.
 */
export function* applyResourcePolicies(
  machine: StateMachineModel,
  role: RoleModel,
  results: RequestResult[],
  live: boolean,
): Generator<ResourcePolicyStep, void, ResourcePolicyAnswer> {
  if (machine.resourcePolicies === undefined && !live) return;
  const owners = bucketOwners(machine);
  const principal = { roleArn: role.arn, account: accountOf(role.arn) ?? machine.context.account };
  for (const result of results) {
    const target = resourceTarget(result.request.resource, owners);
    if (!target) continue;
    const known =
      machine.resourcePolicies?.get(target.arn) ??
      (target.kind === 'key' ? awsManagedKeyPolicy(target.arn, machine.context.region) : undefined) ??
      (live ? yield { kind: 'resourcePolicy', target, roleArn: role.arn } : undefined);
    if (target.account === undefined && known && 'account' in known && known.account !== undefined)
      target.account = known.account;
    // A policy not known (offline, outside the template and --resource-policies) is evaluated as unknown: in the
    // role's account a bucket policy can deny what the role allows or allow what it does not, a key policy is the
    // gate, and in another account both must allow. Only what the role itself denies stays decided.
    const { evaluation, access } = combineWithResource(result.evaluation, result.request, target, known, principal);
    result.evaluation = evaluation;
    result.resource = access;
  }
}

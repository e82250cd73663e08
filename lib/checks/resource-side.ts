// Apply the resource side to a machine's request results: find each request's key or bucket, look its policy up
// (model first, AWS managed keys, then the live account once per check) and combine it with the identity decision.
import { bucketArnOf, isUnreadable, type KnownResourcePolicy, type Unreadable } from '../model/resource-policies';
import type { RoleModel, StateMachineModel, Unverifiable } from '../model/state-machine';
import { otherAccountProblems, type BucketUse } from '../needs/bucket-owners';
import type { BucketOwners } from './resource-access';
import { DOCS, type DefinitionProblem } from '../needs/types';
import type { Backend } from '../ports/backend';
import { awsManagedKeyPolicy, combineWithResource, resourceTarget, type ResourceTarget } from './resource-access';
import type { RequestResult } from './types';

/**
 * Reads a resource policy from the account (Backend.keyPolicy/bucketPolicy/keyGrants); undefined when not read.
 * With `bucketRegion`, the account also says where listing and ResultWriter buckets are (s3:GetBucketLocation).
 */
export interface LiveResourcePolicy {
  (target: ResourceTarget, roleArn: string): Promise<KnownResourcePolicy | Unreadable | undefined>;
  bucketRegion?: (bucket: string) => Promise<BucketRegionAnswer>;
}

/**
 * Resource policies read from the account: kms:GetKeyPolicy with kms:ListGrants for the role, s3:GetBucketPolicy.
 * SimulatePrincipalPolicy cannot evaluate resource policies for roles, so they are evaluated here with the same
 * request context. A failed read is unverifiable, never a pass and never a failure of the whole check.
 */
export function liveResourcePolicies(
  backend: Pick<Backend, 'keyPolicy' | 'keyGrants' | 'bucketPolicy'> & Partial<Pick<Backend, 'bucketRegion'>>,
): LiveResourcePolicy {
  const read: LiveResourcePolicy = async (target, roleArn) => {
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
  if (backend.bucketRegion) read.bucketRegion = backend.bucketRegion.bind(backend);
  return read;
}

const accountOf = (arn: string) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** Bucket → owner account, from ExpectedBucketOwner (the needs' bucket uses) and from the known resource policies. */
function bucketOwners(machine: StateMachineModel, uses: readonly BucketUse[]): BucketOwners {
  const expected = new Map<string, string>();
  for (const use of uses) if (use.owner !== undefined) expected.set(use.bucket, use.owner);
  const known = knownBucketOwners(machine.resourcePolicies);
  return { get: (bucket) => expected.get(bucket) ?? known.get(bucket) };
}

const ownersByPolicies = new WeakMap<ReadonlyMap<string, KnownResourcePolicy>, Map<string, string>>();

/** Bucket → account of the known policies, read once per map (every machine of a template shares one). */
function knownBucketOwners(policies: ReadonlyMap<string, KnownResourcePolicy> | undefined): Map<string, string> {
  if (!policies) return new Map();
  let owners = ownersByPolicies.get(policies);
  if (!owners) {
    owners = new Map();
    for (const [arn, known] of policies) {
      const bucket = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn)?.[1];
      if (bucket !== undefined && known.account !== undefined) owners.set(bucket, known.account);
    }
    ownersByPolicies.set(policies, owners);
  }
  return owners;
}

/** What the pipeline asks its driver for in AWS mode: the Region of a listing or ResultWriter bucket. */
export interface BucketRegionStep {
  kind: 'bucketRegion';
  bucket: string;
}
/** A Region, why it could not be read, or undefined: not known (offline) or the bucket does not exist yet. */
export type BucketRegionAnswer = string | Unreadable | undefined;

/** Where listing and ResultWriter buckets are not allowed to be, and whose Region could not be read. */
export interface BucketPlaces {
  problems: DefinitionProblem[];
  unverifiable: Unverifiable[];
}

/**
 * Listing and ResultWriter buckets in another account or Region than the state machine's: the Map Run fails
 * (ItemReader: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html, ResultWriter:
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html). A template's buckets are in
 * its stack's Region; others are asked for when the account can be read (`askRegions`), and are unknown offline,
 * where S3 ARNs name no Region. A Region that cannot be read is unverifiable, never a pass.
 */
export function* bucketPlaceProblems(
  machine: StateMachineModel,
  uses: BucketUse[],
  askRegions: boolean,
): Generator<BucketRegionStep, BucketPlaces, BucketRegionAnswer> {
  const found: BucketPlaces = { problems: [], unverifiable: [] };
  const owners = bucketOwners(machine, uses);
  const ctx = machine.context;
  found.problems.push(...otherAccountProblems(uses, ctx, (b) => owners.get(b)));
  const regions = new Map<string, BucketRegionAnswer>();
  for (const use of uses) {
    // A bucket in another account is an error already; its Region is that account's to tell.
    if (use.feature === 'getObject' || (owners.get(use.bucket) ?? ctx.account) !== ctx.account) continue;
    if (!regions.has(use.bucket)) {
      const known = machine.resourcePolicies?.get(bucketArnOf(ctx.partition, use.bucket))?.region;
      regions.set(use.bucket, known ?? (askRegions ? yield { kind: 'bucketRegion', bucket: use.bucket } : undefined));
    }
    const region = regions.get(use.bucket);
    const field = use.field.replace(/\.ExpectedBucketOwner$/, '.Bucket');
    const docs = use.feature === 'listing' ? DOCS.itemReader : DOCS.resultWriter;
    if (isUnreadable(region)) {
      if (!found.unverifiable.some((u) => u.subject === `the Region of bucket ${use.bucket}`))
        found.unverifiable.push({
          subject: `the Region of bucket ${use.bucket}`,
          reason: `${region.unreadable}; a listing or ResultWriter bucket must be in the state machine's Region, ${ctx.region} (${docs})`,
          remedy: `Allow s3:GetBucketLocation on arn:${ctx.partition}:s3:::${use.bucket} to the role dmap-guard runs as, or check that the bucket is in ${ctx.region}.`,
        });
    } else if (region !== undefined && region !== ctx.region) {
      found.problems.push({
        kind: 'bucket-in-other-region',
        state: use.state,
        field,
        message:
          use.feature === 'listing'
            ? `Bucket ${use.bucket} is in Region ${region}, not ${ctx.region}: Step Functions only supports listing objects in buckets in the same account and Region as the state machine (${docs})`
            : `Bucket ${use.bucket} is in Region ${region}, not ${ctx.region}: the ResultWriter bucket must be in the same account and Region as the state machine, or the execution fails with States.ResultWriterFailed (${docs})`,
      });
    }
  }
  return found;
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
  uses: BucketUse[],
): Generator<ResourcePolicyStep, void, ResourcePolicyAnswer> {
  if (machine.resourcePolicies === undefined && !live) return;
  const owners = bucketOwners(machine, uses);
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

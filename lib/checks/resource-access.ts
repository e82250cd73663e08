// The resource side of a request: KMS key policies and grants, S3 bucket policies, combined with the identity
// decision per the documented rules.
// - IAM policy evaluation logic (same account: identity OR resource policy, any explicit Deny wins):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// - Cross-account (both must allow): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// - KMS (the key policy is the gate; the account principal enables IAM policies; grants allow, never deny):
//   https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html,
//   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html,
//   https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
import { stringify } from 'yaml';
import type { Truth } from '../iam/conditions';
import type { AccessRequest, Evaluation, UnknownStatement } from '../iam';
import {
  evaluateResourcePolicy,
  parseResourcePolicy,
  type PolicyPrincipal,
  type ResourcePolicyEvaluation,
} from '../iam/resource-policy';
import { parseArn } from '../model/arns';
import { isUnreadable, type KeyGrant, type KnownResourcePolicy, type Unreadable } from '../model/resource-policies';

/** The resource whose policy decides next to the role's: a KMS key or an S3 bucket. */
export interface ResourceTarget {
  kind: 'key' | 'bucket';
  /** The key ARN (or alias ARN), or arn:<partition>:s3:::<bucket>. */
  arn: string;
  /** Readable: "key arn:aws:kms:…", "bucket amzn-s3-demo-bucket". */
  label: string;
  /** The account the resource is in, when known. */
  account?: string;
}

/** What the resource side said about one request. */
export interface ResourceAccess {
  target: ResourceTarget;
  crossAccount: boolean;
  /** Why the outcome is what it is on the resource side, for messages ("the key policy of … allows neither …"). */
  reason: string;
  /** Why the resource side could not be decided, when it could not. */
  unknown?: string;
  /** The role the policy was judged for. */
  roleArn: string;
  /** The key or bucket policy is what is missing: a statement there would allow the request. */
  policyGap?: true;
  /**
   * The key or bucket policy is not known at all (offline, neither in the template nor in --resource-policies), and
   * the request's outcome hangs on it; `roleAllows` is what the role's own policies say.
   */
  unknownPolicy?: { roleAllows: Truth };
}

/** Where a resource's policy is looked up: known (possibly none), unreadable, or undefined when not known. */
export type ResourcePolicyLookup = (target: ResourceTarget) => KnownResourcePolicy | Unreadable | undefined;

const OBJECT_OR_BUCKET = /^arn:([^:]+):s3:::([^/*?]+)(\/.*)?$/;
const KEY = /^arn:[^:]+:kms:[^:]*:(\d{12}):(key|alias)\/.+$/;

/** The key or bucket a request's resource names, or undefined (other services, wildcards in the name). */
/** Bucket → owner account, where it is known. */
export interface BucketOwners {
  get(bucket: string): string | undefined;
}

export function resourceTarget(resource: string, bucketOwners?: BucketOwners): ResourceTarget | undefined {
  const key = KEY.exec(resource);
  if (key) return { kind: 'key', arn: resource, label: `key ${resource}`, account: key[1] as string };
  const s3 = OBJECT_OR_BUCKET.exec(resource);
  if (!s3 || (s3[2] as string).includes('dmap-guard-sample')) return undefined;
  const bucket = s3[2] as string;
  const owner = bucketOwners?.get(bucket);
  return {
    kind: 'bucket',
    arn: `arn:${s3[1]}:s3:::${bucket}`,
    label: `bucket ${bucket}`,
    ...(owner !== undefined ? { account: owner } : {}),
  };
}

/** The fixed key policy of an AWS managed key for S3 (alias/aws/s3), as AWS sets it; undefined for other keys. */
export function awsManagedKeyPolicy(keyArn: string, region: string): KnownResourcePolicy | undefined {
  const parsed = parseArn(keyArn);
  if (!parsed || parsed.resource !== 'alias/aws/s3') return undefined;
  return {
    source: 'the key policy AWS sets for alias/aws/s3',
    account: parsed.account,
    grants: [],
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: {
              'kms:CallerAccount': parsed.account,
              'kms:ViaService': `s3.${parsed.region || region}.amazonaws.com`,
            },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:${parsed.partition}:iam::${parsed.account}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
        },
      ],
    },
  };
}

function or(...values: Truth[]): Truth {
  return values.includes(true) ? true : values.includes('unknown') ? 'unknown' : false;
}

function and(...values: Truth[]): Truth {
  return values.includes(false) ? false : values.includes('unknown') ? 'unknown' : true;
}

function contextValue(request: AccessRequest, key: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  for (const [name, values] of Object.entries(request.context ?? {})) if (name.toLowerCase() === lower) return values;
  return undefined;
}

/** Does a grant allow the request? Its encryption-context constraints are checked against the request's context. */
export function grantAllows(grant: KeyGrant, request: AccessRequest): Truth {
  const operation = request.action.slice(request.action.indexOf(':') + 1).toLowerCase();
  if (!grant.operations.some((op) => op.toLowerCase() === operation)) return false;
  const constraint = grant.encryptionContextEquals ?? grant.encryptionContextSubset;
  if (!constraint) return true;
  let truth: Truth = true;
  for (const [key, value] of Object.entries(constraint)) {
    const given = contextValue(request, `kms:EncryptionContext:${key}`);
    if (given === undefined) truth = 'unknown';
    else if (!given.includes(value)) return false;
  }
  if (grant.encryptionContextEquals) {
    const keys = contextValue(request, 'kms:EncryptionContextKeys');
    if (keys === undefined) return 'unknown';
    if (keys.length !== Object.keys(constraint).length) return false;
  }
  return truth;
}

function grantsAllow(grants: KnownResourcePolicy['grants'], request: AccessRequest): { truth: Truth; why?: string } {
  if (grants === undefined) return { truth: 'unknown', why: 'its grants were not read (a grant can allow the call)' };
  if (isUnreadable(grants)) return { truth: 'unknown', why: `its grants cannot be read (${grants.unreadable})` };
  return { truth: or(false, ...grants.map((grant) => grantAllows(grant, request))) };
}

const identityTruth = (e: Evaluation): Truth =>
  e.decision === 'allowed' ? true : e.decision === 'unknown' ? 'unknown' : false;

function describePolicy(target: ResourceTarget): string {
  return target.kind === 'key' ? `the key policy of ${target.arn}` : `the bucket policy of ${target.label.slice(7)}`;
}

/** A statement to paste into the key or bucket policy that allows the role these actions. */
function fixStatement(kind: 'key' | 'bucket', roleArn: string, actions: string[], resources: string[]): string {
  const statement = {
    Sid: 'AllowStepFunctionsExecutionRole',
    Effect: 'Allow',
    Principal: { AWS: roleArn },
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: kind === 'key' ? '*' : resources.length === 1 ? resources[0] : resources,
  };
  return stringify([statement]).trimEnd();
}

/**
 * The fix of a need a key or bucket policy fails: the statement to add to that policy for every request it
 * blocks, or which Deny to change; undefined when the role's own policy is what is missing.
 */
export function resourcePolicyFix(
  results: ReadonlyArray<{ request: AccessRequest; evaluation: Evaluation; resource?: ResourceAccess }>,
):
  | { fix: 'addToKeyPolicy' | 'addToBucketPolicy'; fixData: { resource: string; statement: string } }
  | { fix: 'resourcePolicyDenies'; fixData: { resource: string; statement: string; role: string } }
  | undefined {
  const denied = results.find((r) => r.evaluation.decision === 'explicitDeny' && r.evaluation.blockedBy === 'resource');
  if (denied?.resource) {
    const deny = denied.evaluation.matched[0];
    return {
      fix: 'resourcePolicyDenies',
      fixData: {
        resource: denied.resource.target.label,
        statement: deny?.sid !== undefined ? `statement ${deny.sid}` : `statement #${deny?.index ?? 0}`,
        role: denied.resource.roleArn,
      },
    };
  }
  const gaps = results.filter((r) => r.resource?.policyGap === true);
  const first = gaps[0]?.resource;
  if (!first) return undefined;
  const same = gaps.filter((r) => r.resource?.target.arn === first.target.arn);
  const statement = fixStatement(
    first.target.kind,
    first.roleArn,
    [...new Set(same.map((r) => r.request.action))],
    [...new Set(same.map((r) => r.request.resource))],
  );
  const resource = first.target.kind === 'key' ? first.target.arn : first.target.label.slice('bucket '.length);
  return {
    fix: first.target.kind === 'key' ? 'addToKeyPolicy' : 'addToBucketPolicy',
    fixData: { resource, statement },
  };
}

/**
 * Combine the identity decision of a request with the resource policy of its key or bucket. Three-valued: a
 * side that cannot be decided makes the request unknown unless the other side denies it outright.
 */
export function combineWithResource(
  identity: Evaluation,
  request: AccessRequest,
  target: ResourceTarget,
  known: KnownResourcePolicy | Unreadable | undefined,
  principal: PolicyPrincipal,
): { evaluation: Evaluation; access: ResourceAccess } {
  const policyName = describePolicy(target);
  const crossAccount = target.account !== undefined && target.account !== principal.account;
  const access: ResourceAccess = { target, crossAccount, reason: '', roleArn: principal.roleArn };
  if (identity.decision === 'explicitDeny') {
    access.reason = 'the role denies it';
    return { evaluation: identity, access };
  }

  let rp: ResourcePolicyEvaluation;
  const unknownWhy: string[] = [];
  const undecided: UnknownStatement[] = [];
  if (known === undefined || isUnreadable(known)) {
    unknownWhy.push(
      known === undefined
        ? `${policyName} is not known (pass it with --resource-policies)`
        : `${policyName} cannot be read (${known.unreadable})`,
    );
    rp = { allowsRole: 'unknown', allowsAccount: 'unknown', denies: 'unknown', statements: [] };
  } else if (known.document === null) {
    rp = { allowsRole: false, allowsAccount: false, denies: false, statements: [] };
  } else {
    const policy = parseResourcePolicy(known.document, policyName);
    rp = evaluateResourcePolicy(policy, principal, request);
    for (const ref of rp.statements)
      if (ref.keys.length > 0)
        undecided.push({
          layer: 'resource',
          policyId: ref.policyId,
          index: ref.index,
          ...(ref.sid !== undefined ? { sid: ref.sid } : {}),
          effect: ref.effect,
          statement: {},
          keys: ref.keys,
        });
  }

  const id = identityTruth(identity);
  // A permissions boundary or SCP that does not allow blocks what a resource policy grants the role.
  const gated =
    identity.decision === 'implicitDeny' &&
    (identity.blockedBy === 'boundary' ||
      identity.blockedBy === 'scp' ||
      identity.allowedByBoundary === false ||
      identity.allowedByOrganizations === false);
  let allowed: Truth;
  let grantWhy: string | undefined;
  if (target.kind === 'key') {
    const grants =
      known === undefined || isUnreadable(known) ? { truth: 'unknown' as Truth } : grantsAllow(known.grants, request);
    grantWhy = grants.why;
    const viaKeyPolicy = crossAccount
      ? and(id, or(rp.allowsRole, rp.allowsAccount))
      : or(rp.allowsRole, and(rp.allowsAccount, id));
    allowed = gated ? false : or(viaKeyPolicy, grants.truth);
  } else {
    allowed = crossAccount ? and(id, or(rp.allowsRole, rp.allowsAccount)) : gated ? false : or(id, rp.allowsRole);
  }

  const denyRef = rp.statements.find((s) => s.effect === 'Deny' && s.keys.length === 0);
  if (rp.denies === true) {
    access.reason = `explicitly denied by ${denyRef?.sid !== undefined ? `statement ${denyRef.sid}` : `statement #${denyRef?.index ?? 0}`} of ${policyName}`;
    return {
      evaluation: {
        decision: 'explicitDeny',
        matched: [
          {
            layer: 'resource',
            policyId: policyName,
            index: denyRef?.index ?? -1,
            ...(denyRef?.sid !== undefined ? { sid: denyRef.sid } : {}),
            effect: 'Deny',
            statement: {},
          },
        ],
        blockedBy: 'resource',
        missingContextKeys: identity.missingContextKeys,
      },
      access,
    };
  }
  if (allowed === false) {
    const resourceGap =
      id !== false || (target.kind === 'key' && !crossAccount && rp.allowsAccount === false && rp.allowsRole === false);
    access.reason =
      id === false && !resourceGap
        ? 'the role does not allow it'
        : target.kind === 'key'
          ? crossAccount
            ? `${policyName} allows neither the role nor its account ${principal.account}`
            : `${policyName} allows neither the role nor the account root (which lets IAM policies grant it)`
          : `${policyName} does not allow the role (a bucket in another account must allow it)`;
    if (resourceGap && target.kind === 'key' && grantWhy === undefined) access.reason += ', and no grant allows it';
    if (resourceGap) access.policyGap = true;
    return {
      evaluation: {
        decision: 'implicitDeny',
        matched: [],
        blockedBy: resourceGap ? 'resource' : (identity.blockedBy ?? 'identity'),
        missingContextKeys: identity.missingContextKeys,
      },
      access,
    };
  }
  if (allowed === true && rp.denies === false) {
    access.reason = `allowed with ${policyName}`;
    return { evaluation: identity.decision === 'allowed' ? identity : { ...identity, decision: 'allowed' }, access };
  }
  if (grantWhy !== undefined && allowed === 'unknown' && rp.allowsRole !== true)
    unknownWhy.push(`${target.label}: ${grantWhy}`);
  if (undecided.length > 0)
    unknownWhy.push(
      ...undecided.map(
        (s) =>
          `${s.effect} ${s.sid !== undefined ? `statement ${s.sid}` : `statement #${s.index}`} of ${s.policyId} depends on ${s.keys.join(', ')}`,
      ),
    );
  // Without a reason here, the role's own undecided statements are the cause (named by unverifiable-policy).
  if (unknownWhy.length > 0) access.unknown = unknownWhy.join('; ');
  if (known === undefined) access.unknownPolicy = { roleAllows: id };
  access.reason = access.unknown ?? "the role's policies cannot be decided for this request";
  return {
    evaluation: {
      decision: 'unknown',
      matched: [],
      unknown: [...(identity.unknown ?? []), ...undecided],
      missingContextKeys: identity.missingContextKeys,
    },
    access,
  };
}

// Key and bucket policies of a Terraform plan, keyed by key ARN and bucket ARN as the template path keys them
// (lib/cfn/resource-policies.ts), over the ones given from outside (--resource-policies):
// - aws_kms_key: its `policy`, or the default key policy when the configuration sets none; aws_kms_key_policy
//   replaces it. A key the plan creates has no grants unless an aws_kms_grant in the plan may be for it.
// - aws_s3_bucket: no bucket policy, unless its (legacy) `policy` or an aws_s3_bucket_policy says otherwise.
// A policy that waits for apply (after_unknown), or whose resource cannot be told, is not known: the needs it decides
// are unverifiable, never passed and never failed on a guess.
import { defaultKeyPolicy } from '../cfn/resource-policies';
import { parseResourcePolicy } from '../iam/resource-policy';
import { isUnresolved, UNRESOLVED_MARKER } from '../model/arns';
import { bucketArnOf, type KnownResourcePolicy, type ResourcePolicies } from '../model/resource-policies';
import { jsonAttribute } from './terraform-documents';
import type { TerraformInstance, TerraformPlan } from './terraform-plan';
import { bucketName, keyArnOf, keyReference, text, type Where } from './terraform-values';

/** The policy document an attribute holds, null for an empty one, or undefined when it is not known before apply. */
function planPolicy(plan: TerraformPlan, instance: TerraformInstance, attribute: string): unknown {
  const read = plan.read(instance, attribute);
  if ('value' in read && read.value === '') return null;
  const parsed = jsonAttribute(plan, instance, attribute);
  if (!('document' in parsed) || parsed.partial !== undefined) return undefined;
  // A statement with a run-time value (a principal or resource created by the plan) cannot be judged yet.
  if (JSON.stringify(parsed.document).includes(UNRESOLVED_MARKER)) return undefined;
  // A statement the evaluator would drop could be the Deny that decides; KMS and S3 refuse such a policy anyway.
  if (parseResourcePolicy(parsed.document, instance.address).problems.length > 0) return undefined;
  return parsed.document;
}

/** The key an aws_kms_key_policy or aws_kms_grant is for, or undefined when it waits for apply and names no key. */
function keyOf(plan: TerraformPlan, instance: TerraformInstance, where: Where): string | undefined {
  const arn = keyReference(plan, instance, ['key_id'], where);
  if (arn === undefined) return undefined;
  const linked = plan.links(instance, 'key_id').some((l) => l.instance.type === 'aws_kms_key');
  return !isUnresolved(arn) || linked ? arn : undefined;
}

const accountOf = (arn: string) => /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(arn)?.[1];

function collectKeys(plan: TerraformPlan, where: Where, policies: Map<string, KnownResourcePolicy>): void {
  const granted = plan.ofType('aws_kms_grant').map((grant) => keyOf(plan, grant, where));
  const created = new Set<string>();
  for (const key of plan.ofType('aws_kms_key')) {
    const arn = keyArnOf(plan, key, where);
    const account = accountOf(arn) ?? where.account;
    const read = plan.read(key, 'policy');
    // `policy` is computed: unknown on a first plan where the configuration sets none, and KMS then attaches the
    // default key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
    const stated = plan.configures(key, 'policy') || ('value' in read && read.value !== '');
    const document = stated ? planPolicy(plan, key, 'policy') : defaultKeyPolicy(where.partition, account);
    created.add(arn);
    if (document === undefined || document === null) {
      policies.delete(arn);
      continue;
    }
    policies.set(arn, {
      document,
      source: `${plan.file} (${stated ? `policy of ${key.address}` : `${key.address}, default key policy`})`,
      account,
      // Grants come from CreateGrant; those the plan makes are not read, so a key one may be for has them unknown.
      ...(granted.some((target) => target === undefined || target === arn) ? {} : { grants: [] }),
    });
  }
  for (const resource of plan.ofType('aws_kms_key_policy')) {
    const arn = keyOf(plan, resource, where);
    if (arn === undefined) {
      // It may be the policy of any key the plan creates.
      for (const key of created) policies.delete(key);
      continue;
    }
    const document = planPolicy(plan, resource, 'policy');
    const previous = policies.get(arn);
    if (document === undefined || document === null) {
      policies.delete(arn);
      continue;
    }
    policies.set(arn, {
      document,
      source: `${plan.file} (${resource.address})`,
      account: previous?.account ?? accountOf(arn) ?? where.account,
      ...(previous?.grants !== undefined ? { grants: previous.grants } : {}),
    });
  }
}

function collectBuckets(plan: TerraformPlan, where: Where, policies: Map<string, KnownResourcePolicy>): void {
  // Buckets of the plan are in its account and, as its state machines are taken to be, in its Region; unless the
  // plan knows the bucket's Region and it is another (a provider alias), which then is not known here.
  const created = new Map<string, { account: string; region?: string }>();
  for (const bucket of plan.ofType('aws_s3_bucket')) {
    const name = text(plan, bucket, 'bucket');
    if (name === undefined || isUnresolved(name)) continue;
    const arn = bucketArnOf(where.partition, name);
    const region = text(plan, bucket, 'region');
    const elsewhere = region !== undefined && !isUnresolved(region) && region !== where.region;
    const place = elsewhere ? { account: where.account } : { account: where.account, region: where.region };
    created.set(arn, place);
    const read = plan.read(bucket, 'policy');
    // The legacy inline `policy` argument; computed from the bucket when the configuration does not set it.
    const stated = plan.configures(bucket, 'policy') || ('value' in read && read.value !== '');
    const document = stated ? planPolicy(plan, bucket, 'policy') : null;
    const previous = policies.get(arn);
    if (document === undefined) policies.delete(arn);
    else if (document !== null)
      policies.set(arn, { document, source: `${plan.file} (policy of ${bucket.address})`, ...place });
    // A policy given for it (--resource-policies) stays, as on the template path; a bucket policy below replaces it.
    else
      policies.set(
        arn,
        previous
          ? { ...previous, ...(place.region !== undefined ? { region: place.region } : {}) }
          : { document: null, source: `${plan.file} (${bucket.address}, no bucket policy)`, ...place },
      );
  }
  for (const resource of plan.ofType('aws_s3_bucket_policy')) {
    const name = bucketName(plan, resource);
    if (name === undefined || isUnresolved(name)) {
      // Through an aws_s3_bucket whose name waits for apply it is that bucket's, known to no other; without a
      // reference to follow it may be the policy of any bucket the plan creates.
      const linked = plan.links(resource, 'bucket').some((l) => l.instance.type === 'aws_s3_bucket');
      if (!linked) for (const arn of created.keys()) policies.delete(arn);
      continue;
    }
    const arn = bucketArnOf(where.partition, name.replace(/^arn:[^:]+:s3:::/, ''));
    const document = planPolicy(plan, resource, 'policy');
    const previous = policies.get(arn);
    if (document === undefined) {
      policies.delete(arn);
      continue;
    }
    policies.set(arn, {
      document,
      source: `${plan.file} (${resource.address})`,
      ...created.get(arn),
      ...(previous?.account !== undefined ? { account: previous.account } : {}),
    });
  }
}

export function collectResourcePolicies(plan: TerraformPlan, where: Where, given?: ResourcePolicies): ResourcePolicies {
  const policies = new Map<string, KnownResourcePolicy>(given ?? []);
  collectKeys(plan, where, policies);
  collectBuckets(plan, where, policies);
  return policies;
}

// Values of plan resources as the models need them: strings with run-time values marked, key ARNs and bucket names
// followed through the configuration's references when they wait for apply.
import { unresolved } from '../cfn/intrinsics';
import { isUnresolved } from '../model/arns';
import type { Origin } from '../model/state-machine';
import type { TerraformInstance, TerraformPlan } from './terraform-plan';

/** Where the plan deploys: the provider's Region (or --region), the plan's account (or --account-id). */
export interface Where {
  partition: string;
  region: string;
  account: string;
}

export const origin = (plan: TerraformPlan, instance: TerraformInstance, ...path: Array<string | number>): Origin => ({
  file: plan.file,
  logicalId: instance.address,
  path: [...instance.path, ...path],
});

/** A string attribute, or an unresolved marker naming it when it is known only after apply (or absent). */
export function text(
  plan: TerraformPlan,
  instance: TerraformInstance,
  ...path: Array<string | number>
): string | undefined {
  const read = plan.read(instance, ...path);
  if ('value' in read) return typeof read.value === 'string' ? read.value : String(read.value);
  return 'unknown' in read ? unresolved(`${instance.address}.${path.join('.')}`) : undefined;
}

/** The key an attribute names (key id, key ARN, alias, or a reference to an aws_kms_key), as an ARN. */
export function keyReference(
  plan: TerraformPlan,
  instance: TerraformInstance,
  path: Array<string | number>,
  where: Where,
): string | undefined {
  const value = text(plan, instance, ...path);
  if (value === undefined) return undefined;
  if (isUnresolved(value)) {
    const key = plan.links(instance, ...path).find((l) => l.instance.type === 'aws_kms_key')?.instance;
    return key ? keyArnOf(plan, key, where) : value;
  }
  const { partition, region, account } = where;
  if (value.startsWith('arn:')) return value;
  return value.startsWith('alias/')
    ? `arn:${partition}:kms:${region}:${account}:${value}`
    : `arn:${partition}:kms:${region}:${account}:key/${value}`;
}

/** An aws_kms_key's ARN; before apply, the plan's Region and account with the key id as a run-time value. */
export function keyArnOf(plan: TerraformPlan, key: TerraformInstance, where: Where): string {
  const arn = text(plan, key, 'arn');
  if (arn !== undefined && !isUnresolved(arn)) return arn;
  return `arn:${where.partition}:kms:${where.region}:${where.account}:key/${unresolved(`${key.address}.key_id`)}`;
}

/** The bucket an attribute `bucket` names, through a reference to an aws_s3_bucket when it waits for apply. */
export function bucketName(plan: TerraformPlan, instance: TerraformInstance): string | undefined {
  const name = text(plan, instance, 'bucket');
  if (name === undefined || !isUnresolved(name)) return name;
  const bucket = plan.links(instance, 'bucket').find((l) => l.instance.type === 'aws_s3_bucket')?.instance;
  return bucket ? (text(plan, bucket, 'bucket') ?? name) : name;
}

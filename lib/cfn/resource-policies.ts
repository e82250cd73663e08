// Key policies (AWS::KMS::Key.KeyPolicy) and bucket policies (AWS::S3::BucketPolicy) of a template, in any order,
// keyed by key ARN and bucket ARN, over the ones given from outside (--resource-policies).
import { isUnresolved } from '../model/arns';
import type { KnownResourcePolicy, ResourcePolicies } from '../model/resource-policies';
import { bucketArnOf } from '../model/resource-policies';
import type { TemplateAnalysis } from './template';

/** The key policy KMS attaches when KeyPolicy is omitted: the account may use IAM policies to allow the key. */
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
export function defaultKeyPolicy(partition: string, account: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

export function collectResourcePolicies(t: TemplateAnalysis, given?: ResourcePolicies): ResourcePolicies {
  const policies = new Map<string, KnownResourcePolicy>(given ?? []);
  const { partition, account } = t.pseudo;
  for (const id of t.resourceIds()) {
    const type = t.typeOf(id);
    if (type === 'AWS::KMS::Key') {
      const arn = t.values(id)?.attributes.Arn;
      if (typeof arn !== 'string' || isUnresolved(arn)) continue;
      const props = t.properties(id);
      policies.set(arn, {
        document: props.KeyPolicy === undefined ? defaultKeyPolicy(partition, account) : t.resolve(props.KeyPolicy),
        source: `${t.file} (KeyPolicy of ${id})`,
        account,
        // A key the template creates has no grants until someone calls CreateGrant on it.
        grants: [],
      });
    } else if (type === 'AWS::S3::Bucket') {
      const name = t.values(id)?.ref;
      if (typeof name !== 'string' || isUnresolved(name)) continue;
      const arn = bucketArnOf(partition, name);
      const previous = policies.get(arn);
      // A bucket policy elsewhere in the template replaces the document below, whatever the order. The template
      // creates the bucket in its stack's Region.
      const region = t.pseudo.region;
      policies.set(
        arn,
        previous
          ? { ...previous, region }
          : { document: null, source: `${t.file} (${id}, no bucket policy)`, account, region },
      );
    }
  }
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::S3::BucketPolicy') continue;
    const props = t.properties(id);
    const bucket = t.resolve(props.Bucket);
    if (typeof bucket !== 'string' || isUnresolved(bucket)) continue;
    const arn = bucketArnOf(partition, bucket.replace(/^arn:[^:]+:s3:::/, ''));
    const previous = policies.get(arn);
    policies.set(arn, {
      document: t.resolve(props.PolicyDocument),
      source: `${t.file} (${id})`,
      ...(previous?.account !== undefined ? { account: previous.account } : {}),
      ...(previous?.region !== undefined ? { region: previous.region } : {}),
    });
  }
  return policies;
}

// SSE-KMS keys of the template's buckets, and key references (ids, aliases, ARNs) as key ARNs.
import { kmsKeyArn } from '../model/arns';
import { defineOwn, isRecord, textOf } from '../model/json';
import type { Json, TemplateAnalysis } from './template';

/** Bucket name → key ARN for buckets in the template that use SSE-KMS with a customer managed key. */
export function collectBucketKeys(t: TemplateAnalysis): Record<string, string> {
  const aliases = new Map<string, string>();
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::KMS::Alias') continue;
    const props = t.properties(id);
    aliases.set(textOf(t.resolve(props.AliasName)), textOf(t.resolve(props.TargetKeyId)));
  }
  const keys: Record<string, string> = {};
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::S3::Bucket') continue;
    const rules = t.resolve((t.properties(id).BucketEncryption as Json | undefined)?.ServerSideEncryptionConfiguration);
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      const byDefault =
        isRecord(rule) && isRecord(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
      if (
        !byDefault ||
        !textOf(byDefault.SSEAlgorithm).startsWith('aws:kms') ||
        typeof byDefault.KMSMasterKeyID !== 'string'
      )
        continue;
      defineOwn(keys, textOf(t.values(id)?.ref), kmsKeyArn(byDefault.KMSMasterKeyID, t.pseudo, aliases));
    }
  }
  return keys;
}

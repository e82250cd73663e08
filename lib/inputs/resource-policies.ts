// --resource-policies <file>: key and bucket policies of resources outside the templates, as JSON
// {"<key ARN or bucket ARN>": <entry>}. An entry is the policy document (or its JSON text, as
// `aws … --query Policy --output text` prints it), null (known: the bucket has no bucket policy, as S3 answers
// NoSuchBucketPolicy; a KMS key always has a key policy), or the output of the AWS CLI as it prints it:
//   aws kms get-key-policy --key-id <arn> --policy-name default --output json   → {"Policy": "<json>", "PolicyName": …}
//   aws s3api get-bucket-policy --bucket <name> --output json                   → {"Policy": "<json>"}
// optionally with "Grants" (the Grants of `aws kms list-grants --key-id <arn>`) and "Account" (the bucket owner).
import { InputError, messageOf } from '../model/errors';
import { isRecord } from '../model/json';
import { readTextCapped } from '../model/read-capped';
import type { KeyGrant, KnownResourcePolicy, ResourcePolicies } from '../model/resource-policies';
import { parseResourcePolicy } from '../iam/resource-policy';

/** Resource-policy files larger than this are refused. */
export const MAX_RESOURCE_POLICIES_BYTES = 5 * 1024 * 1024;

const KEY_ARN = /^arn:[^:]+:kms:[^:]+:(\d{12}):(key|alias)\/.+$/;
const BUCKET_ARN = /^arn:[^:]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACCOUNT = /^\d{12}$/;

function pathOf(parent: string, key: string): string {
  return `${parent}[${JSON.stringify(key)}]`;
}

function stringMap(value: unknown, file: string, path: string): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string'))
    throw new InputError(file, 'expected an object of strings', { path });
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value)) out[k] = v as string;
  return out;
}

function parseGrants(value: unknown, file: string, path: string): KeyGrant[] {
  if (!Array.isArray(value)) throw new InputError(file, 'expected the Grants array of aws kms list-grants', { path });
  return value.map((grant, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(grant) || !Array.isArray(grant.Operations) || !grant.Operations.every((o) => typeof o === 'string'))
      throw new InputError(file, 'expected a grant with an Operations array of strings', { path: at });
    const parsed: KeyGrant = { operations: grant.Operations as string[] };
    if (typeof grant.GrantId === 'string') parsed.grantId = grant.GrantId;
    const constraints = grant.Constraints;
    if (isRecord(constraints)) {
      if (constraints.EncryptionContextEquals !== undefined)
        parsed.encryptionContextEquals = stringMap(
          constraints.EncryptionContextEquals,
          file,
          `${at}.Constraints.EncryptionContextEquals`,
        );
      if (constraints.EncryptionContextSubset !== undefined)
        parsed.encryptionContextSubset = stringMap(
          constraints.EncryptionContextSubset,
          file,
          `${at}.Constraints.EncryptionContextSubset`,
        );
    }
    return parsed;
  });
}

/** A policy given as a document or as JSON text (the CLI prints the Policy field as a string). */
function policyDocument(value: unknown, file: string, path: string): unknown {
  if (value === null) return null;
  let document: unknown = value;
  if (typeof value === 'string') {
    try {
      document = JSON.parse(value) as unknown;
    } catch (error) {
      throw new InputError(file, `the policy text is not JSON (${messageOf(error)})`, { path });
    }
  }
  if (!isRecord(document) || document.Statement === undefined)
    throw new InputError(file, 'expected a policy document with a Statement', { path });
  // A statement the evaluator would drop (a Deny among them) must not pass silently: refuse the file instead.
  const problem = parseResourcePolicy(document, path).problems[0];
  if (problem)
    throw new InputError(file, problem.message, {
      path: typeof value === 'string' ? `${path} (policy text at ${problem.path})` : `${path}${problem.path.slice(1)}`,
    });
  return document;
}

/** Parse the JSON text of a resource-policies file; `file` names it in errors. */
export function parseResourcePolicies(text: string, file: string): ResourcePolicies {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(file, `not valid JSON: ${messageOf(error)}`);
  }
  if (!isRecord(value))
    throw new InputError(file, 'expected an object of key or bucket ARN → policy document', { path: '$' });
  const policies = new Map<string, KnownResourcePolicy>();
  for (const [arn, entry] of Object.entries(value)) {
    const path = pathOf('$', arn);
    const key = KEY_ARN.exec(arn);
    if (!key && !BUCKET_ARN.test(arn))
      throw new InputError(
        file,
        'expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) or a bucket ARN (arn:aws:s3:::<bucket>)',
        { path },
      );
    // The CLI's output wraps the document in Policy; anything else is the document itself.
    const wrapped = isRecord(entry) && entry.Statement === undefined && !('Version' in entry) && !('Id' in entry);
    if (wrapped)
      for (const field of Object.keys(entry))
        if (!['Policy', 'PolicyName', 'Grants', 'Account', 'NextMarker', 'Truncated'].includes(field))
          throw new InputError(file, 'expected Policy, PolicyName, Grants or Account', { path: pathOf(path, field) });
    if (wrapped && entry.Policy === undefined)
      throw new InputError(file, 'expected Policy: the policy document, its JSON text, or null for no policy', {
        path,
      });
    const known: KnownResourcePolicy = {
      document: policyDocument(wrapped ? entry.Policy : entry, file, wrapped ? `${path}.Policy` : path),
      source: file,
    };
    if (key && known.document === null)
      throw new InputError(
        file,
        `a KMS key always has a key policy (null means "no policy", which only a bucket can have); give the output of \`aws kms get-key-policy --key-id ${arn} --policy-name default --query Policy --output text\``,
        { path: wrapped ? `${path}.Policy` : path },
      );
    if (key) known.account = key[1] as string;
    if (wrapped && entry.Account !== undefined) {
      if (typeof entry.Account !== 'string' || !ACCOUNT.test(entry.Account))
        throw new InputError(file, 'expected a 12-digit account id', { path: `${path}.Account` });
      if (key && entry.Account !== key[1])
        throw new InputError(file, `the key ARN names account ${key[1]}`, { path: `${path}.Account` });
      known.account = entry.Account;
    }
    if (wrapped && entry.Grants !== undefined) {
      if (!key) throw new InputError(file, 'only KMS keys have grants', { path: `${path}.Grants` });
      known.grants = parseGrants(entry.Grants, file, `${path}.Grants`);
    }
    policies.set(arn, known);
  }
  return policies;
}

/** Read a resource-policies file (size-capped while read). */
export function readResourcePolicies(file: string): ResourcePolicies {
  return parseResourcePolicies(readTextCapped(file, MAX_RESOURCE_POLICIES_BYTES), file);
}

// The request context the calling service sends, key by key: what each key is for an execution role's requests
// (Step Functions calls S3, Lambda and Step Functions with the role's session; S3 calls KMS on its behalf with a
// forward access session), how its value is built, and the page that says so. A key this table does not know is
// unknown, never silently absent.
import type { KeyKnowledge } from '../iam/knowledge';
import type { StateMachineContext } from '../model/state-machine';

export const PAGES = {
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  principalTypes: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable',
  forwardAccess: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html',
  serviceKeys:
    'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  s3Keys: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
  itemReader: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html',
  kmsKeys: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html',
  s3Kms: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  stepFunctionsKms: 'https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html',
  versionAlias: 'https://docs.aws.amazon.com/step-functions/latest/dg/auth-version-alias.html',
  contextEntry: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html',
} as const;

/** ContextKeyType of SimulatePrincipalPolicy's ContextEntry. */
export type ContextKeyType = 'string' | 'stringList' | 'numeric' | 'boolean' | 'date';

/**
 * always: every request of the role carries it; service: the calling service sends it for some requests, with a
 * value the need knows (else unknown); absent: AWS sends none; unknown: it may be absent or carry any value.
 */
export type KeyClass = 'always' | 'service' | 'absent' | 'unknown';

export interface RequestFacts {
  action: string;
  /** The concrete resource ARN of the request (a sample inside a need's pattern). */
  resource: string;
  machine: StateMachineContext;
  principal: { arn: string; tags?: ReadonlyMap<string, string> };
  /** Service keys the need says the call carries (lib/needs sets them: s3:prefix, kms:ViaService…). */
  serviceContext: Readonly<Record<string, readonly string[]>>;
  now: Date;
}

/** A value, or why there is none. */
export type Resolution = readonly string[] | KeyKnowledge;

export interface ContextKeyEntry {
  /** The key as AWS spells it; for a family (`aws:PrincipalTag/`), the prefix before the variable part. */
  key: string;
  family?: true;
  class: KeyClass;
  type: ContextKeyType;
  /** The value for a request; `tail` is the variable part of a family key, as written. */
  resolve(facts: RequestFacts, tail: string): Resolution;
  docs: string;
}

const SAMPLE = 'dmap-guard-sample';

/** A concrete ARN inside a need's pattern (execution:Name:* → execution:Name:dmap-guard-sample). */
export function sampleResource(pattern: string): string {
  return pattern === '*' ? '*' : pattern.replace(/\*/g, SAMPLE);
}

const serviceOf = (action: string) => action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase();
const accountOf = (arn: string) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** S3 calls KMS for the role with a forward access session (the need names S3 in kms:ViaService). */
export function forwardedByS3(facts: RequestFacts): boolean {
  return serviceOf(facts.action) === 'kms' && (given(facts, 'kms:ViaService')?.[0] ?? '').startsWith('s3.');
}

function given(facts: RequestFacts, key: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  for (const [name, values] of Object.entries(facts.serviceContext)) if (name.toLowerCase() === lower) return values;
  return undefined;
}

/** A service key the need supplies; without it, unknown. Only requests of `services` carry it. */
const fromNeed =
  (key: string, applies: (facts: RequestFacts) => boolean) =>
  (facts: RequestFacts): Resolution =>
    !applies(facts) ? 'absent' : (given(facts, key) ?? 'unknown');

const absent = (): Resolution => 'absent';
const unknown = (): Resolution => 'unknown';

/** The key catalogue. Order does not matter; families match by prefix, case-insensitively. */
export const CONTEXT_KEYS: readonly ContextKeyEntry[] = [
  // Global keys on every request of a role session (GCK "Availability" of each key).
  {
    key: 'aws:PrincipalArn',
    class: 'always',
    type: 'string',
    // The role's ARN, not the assumed-role session ARN.
    resolve: (f) => [f.principal.arn],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:PrincipalAccount',
    class: 'always',
    type: 'string',
    resolve: (f) => [accountOf(f.principal.arn) ?? f.machine.account],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:PrincipalType',
    class: 'always',
    type: 'string',
    resolve: () => ['AssumedRole'],
    docs: PAGES.principalTypes,
  },
  {
    key: 'aws:PrincipalIsAWSService',
    class: 'always',
    type: 'boolean',
    // False for a service role's session: Step Functions calls as the role, not as its service principal.
    resolve: () => ['false'],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:RequestedRegion',
    class: 'always',
    type: 'string',
    // ItemReader and ResultWriter buckets (and their keys) must be in the state machine's Region.
    resolve: (f) => [f.machine.region],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:SecureTransport',
    class: 'always',
    type: 'boolean',
    resolve: () => ['true'],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:CurrentTime',
    class: 'always',
    type: 'date',
    resolve: (f) => [f.now.toISOString()],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:EpochTime',
    class: 'always',
    type: 'numeric',
    resolve: (f) => [String(Math.floor(f.now.getTime() / 1000))],
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:ResourceAccount',
    class: 'always',
    type: 'string',
    // The account in the resource ARN (machine, execution, key, function); S3 ARNs carry none, and ItemReader and
    // ResultWriter buckets must be in the machine's account. A request on "*" names no resource.
    resolve: (f) => (f.resource === '*' ? 'unknown' : [accountOf(f.resource) ?? f.machine.account]),
    docs: PAGES.globalKeys,
  },
  {
    key: 'aws:ViaAWSService',
    class: 'always',
    type: 'boolean',
    // True for forward access sessions (S3 → KMS); false when the role's session calls directly.
    resolve: (f) => [String(forwardedByS3(f))],
    docs: PAGES.forwardAccess,
  },
  {
    key: 'aws:PrincipalTag/',
    family: true,
    class: 'always',
    type: 'string',
    // The role's tags; Step Functions passes no session tags. Unknown when the role's tags were not read.
    resolve: (f, tail) => {
      if (!f.principal.tags) return 'unknown';
      for (const [tag, value] of f.principal.tags) if (tag.toLowerCase() === tail.toLowerCase()) return [value];
      return 'absent';
    },
    docs: PAGES.globalKeys,
  },
  // Present only through a VPC endpoint: Step Functions calls from its own network.
  ...['aws:SourceVpce', 'aws:SourceVpc', 'aws:SourceVpcArn', 'aws:VpcSourceIp'].map((key): ContextKeyEntry => ({
    key,
    class: 'absent',
    type: 'string',
    resolve: absent,
    docs: PAGES.globalKeys,
  })),
  // Not present for a role's session: IAM users only, or service principals calling directly.
  ...['aws:username', 'aws:SourceArn', 'aws:SourceAccount', 'aws:PrincipalServiceName'].map((key): ContextKeyEntry => ({
    key,
    class: 'absent',
    type: 'string',
    resolve: absent,
    docs: PAGES.globalKeys,
  })),
  // Not present when a service uses a service role; populated for forward access sessions with a service
  // principal whose exact string for S3 no page states.
  ...['aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast'].map((key): ContextKeyEntry => ({
    key,
    class: 'service',
    type: key === 'aws:CalledVia' ? 'stringList' : 'string',
    resolve: (f) => (forwardedByS3(f) ? 'unknown' : 'absent'),
    docs: PAGES.forwardAccess,
  })),
  // Present, with values no page documents for Step Functions.
  ...['aws:SourceIp', 'aws:userid', 'aws:TokenIssueTime', 'aws:MultiFactorAuthPresent'].map((key): ContextKeyEntry => ({
    key,
    class: 'unknown',
    type: 'string',
    resolve: unknown,
    docs: PAGES.globalKeys,
  })),
  // Tags on the request and the resource, and organization keys: not known without a snapshot of them.
  ...['aws:RequestTag/', 'aws:ResourceTag/'].map((key): ContextKeyEntry => ({
    key,
    family: true,
    class: 'unknown',
    type: 'string',
    resolve: unknown,
    docs: PAGES.globalKeys,
  })),
  ...['aws:TagKeys', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:ResourceOrgID', 'aws:ResourceOrgPaths'].map(
    (key): ContextKeyEntry => ({ key, class: 'unknown', type: 'string', resolve: unknown, docs: PAGES.globalKeys }),
  ),

  // S3 (ListObjectsV2 is authorised as s3:ListBucket).
  {
    key: 's3:prefix',
    class: 'service',
    type: 'string',
    // The ItemReader's Prefix; whether an omitted Prefix is sent empty or not at all, no page says.
    resolve: fromNeed('s3:prefix', (f) => /^s3:listbucket/i.test(f.action)),
    docs: PAGES.itemReader,
  },
  ...['s3:delimiter', 's3:max-keys'].map((key): ContextKeyEntry => ({
    key,
    class: 'unknown',
    type: key === 's3:max-keys' ? 'numeric' : 'string',
    // Defined for ListBucket; what the Map Run's listing sends is not documented.
    resolve: (f) => (/^s3:listbucket/i.test(f.action) ? 'unknown' : 'absent'),
    docs: PAGES.s3Keys,
  })),
  {
    key: 's3:VersionId',
    class: 'service',
    type: 'string',
    // The ItemReader's pinned VersionId, for the *Version actions.
    resolve: fromNeed('s3:VersionId', (f) => /^s3:.*version/i.test(f.action)),
    docs: PAGES.itemReader,
  },

  // KMS, for S3's calls with SSE-KMS and for the state machine's own key.
  {
    key: 'kms:ViaService',
    class: 'service',
    type: 'string',
    // s3.<region>.amazonaws.com for S3's calls; for the state machine's key no page says whether it is sent.
    resolve: fromNeed('kms:ViaService', (f) => serviceOf(f.action) === 'kms'),
    docs: PAGES.kmsKeys,
  },
  {
    key: 'kms:CallerAccount',
    class: 'always',
    type: 'string',
    resolve: (f) => (serviceOf(f.action) === 'kms' ? [accountOf(f.principal.arn) ?? f.machine.account] : 'absent'),
    docs: PAGES.kmsKeys,
  },
  {
    key: 'kms:EncryptionContextKeys',
    class: 'service',
    type: 'stringList',
    resolve: fromNeed('kms:EncryptionContextKeys', (f) => serviceOf(f.action) === 'kms'),
    docs: PAGES.kmsKeys,
  },
  {
    key: 'kms:EncryptionContext:',
    family: true,
    class: 'service',
    type: 'string',
    // aws:s3:arn (the object ARN, or the bucket ARN with an S3 Bucket Key) or aws:states:stateMachineArn, as the
    // need says; a key outside the encryption context the need lists is absent.
    resolve: (f, tail) => {
      if (serviceOf(f.action) !== 'kms') return 'absent';
      const value = given(f, `kms:EncryptionContext:${tail}`);
      if (value) return value;
      const keys = given(f, 'kms:EncryptionContextKeys');
      return keys && !keys.some((k) => k.toLowerCase() === tail.toLowerCase()) ? 'absent' : 'unknown';
    },
    docs: PAGES.s3Kms,
  },

  // Step Functions.
  {
    key: 'states:StateMachineQualifier',
    class: 'unknown',
    type: 'string',
    // Sent when a request names a version or alias ARN; whether a Map Run's child StartExecution carries the
    // parent's qualifier is not documented.
    resolve: (f) => (serviceOf(f.action) === 'states' ? 'unknown' : 'absent'),
    docs: PAGES.versionAlias,
  },
];

const exact = new Map<string, ContextKeyEntry>();
const families: ContextKeyEntry[] = [];
for (const entry of CONTEXT_KEYS) {
  if (entry.family) families.push(entry);
  else exact.set(entry.key.toLowerCase(), entry);
}

/** The catalogue entry of a key (any case), and the variable part of a family key. */
export function catalogueEntry(key: string): { entry: ContextKeyEntry; tail: string } | undefined {
  const lower = key.toLowerCase();
  const found = exact.get(lower);
  if (found) return { entry: found, tail: '' };
  const family = families.find((f) => lower.startsWith(f.key.toLowerCase()) && lower.length > f.key.length);
  return family ? { entry: family, tail: key.slice(family.key.length) } : undefined;
}

/** What a key resolves to for a request: catalogue keys by their entry; another service's keys are absent. */
export function resolveKey(facts: RequestFacts, key: string): Resolution {
  const found = catalogueEntry(key);
  if (found) return found.entry.resolve(facts, found.tail);
  const prefix = key.slice(0, Math.max(0, key.indexOf(':'))).toLowerCase();
  // A service's condition keys are in its own requests only (service authorization reference).
  if (prefix !== '' && prefix !== 'aws' && prefix !== serviceOf(facts.action)) return 'absent';
  // The need derivation knows what the calling service sends for its own keys (iam:PassedToService on the role a
  // task passes, states:HTTPMethod of an HTTP Task); any other key stays unknown.
  return given(facts, key) ?? 'unknown';
}

export interface BuiltContext {
  /** Every key with a known value. */
  context: Record<string, string[]>;
  /** For a key (lower-cased) the context does not carry: absent or unknown. */
  missingKeys: (lowerCaseKey: string) => KeyKnowledge;
}

/** The context the calling service sends with this request, and what is known of every other key. */
export function requestContext(facts: RequestFacts): BuiltContext {
  const context: Record<string, string[]> = {};
  for (const entry of CONTEXT_KEYS) {
    if (entry.family) continue;
    const value = entry.resolve(facts, '');
    if (typeof value !== 'string') context[entry.key] = [...value];
  }
  for (const [tag, value] of facts.principal.tags ?? []) context[`aws:PrincipalTag/${tag}`] = [value];
  for (const [key, values] of Object.entries(facts.serviceContext)) {
    const value = resolveKey(facts, key);
    if (typeof value !== 'string') context[key] = [...values];
  }
  return {
    context,
    missingKeys: (key) => {
      const value = resolveKey(facts, key);
      return typeof value === 'string' ? value : 'unknown';
    },
  };
}

/** The ContextKeyType SimulatePrincipalPolicy takes for a key (strings when the catalogue does not know it). */
export function contextKeyType(key: string, values: readonly string[]): string {
  const type = catalogueEntry(key)?.entry.type ?? 'string';
  if (type.endsWith('List')) return type;
  return values.length > 1 ? `${type}List` : type;
}

// Resource-based policies (KMS key policies, S3 bucket policies) for one principal: which statements name it, and
// whether the policy allows (the principal itself, or its account) and denies a request, three-valued.
// Principal rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// NotPrincipal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
import { isRecord } from '../model/json';
import type { Truth } from './conditions';
import { compilePolicySet, evaluate, type AccessRequest, type CompiledPolicySet, type Decision } from './evaluate';
import { parsePolicy, type Policy, type PolicyProblem, type Statement } from './policy';

/** The caller as resource policies see it: a role session, whose session name is not known. */
export interface PolicyPrincipal {
  /** The role's ARN (arn:aws:iam::123456789012:role/path/Name). */
  roleArn: string;
  account: string;
}

/**
 * How a statement's Principal applies to the role: 'role' names the role itself (its ARN, `*`, or a session of
 * it), 'account' names its account (which delegates to the account's identity policies), false does not apply.
 */
export type PrincipalMatch = 'role' | 'account' | 'unknown' | false;

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;
const ASSUMED_ROLE = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

function values(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** One `AWS` principal entry against the role: 'role', 'account', 'session' (a session of the role), or false. */
function entryMatch(entry: string, principal: PolicyPrincipal): 'role' | 'account' | 'session' | false {
  if (entry === '*') return 'role';
  if (entry === principal.account) return 'account';
  const root = ACCOUNT_ROOT.exec(entry);
  if (root) return root[1] === principal.account ? 'account' : false;
  if (entry === principal.roleArn) return 'role';
  const session = ASSUMED_ROLE.exec(entry);
  if (session && session[1] === principal.account && session[2] === roleName(principal.roleArn)) return 'session';
  return false;
}

/** The `AWS` entries of a Principal or NotPrincipal element; `"*"` as the whole element counts as `{"AWS":"*"}`. */
function awsEntries(element: unknown): string[] {
  if (element === '*') return ['*'];
  return isRecord(element) ? values(element.AWS) : [];
}

/**
 * Does a statement's Principal/NotPrincipal apply to the role? Service, Federated and CanonicalUser principals never
 * name a role. A session ARN names a session whose name Step Functions does not document, so it is 'unknown'.
 */
export function principalMatch(statement: Record<string, unknown>, principal: PolicyPrincipal): PrincipalMatch {
  if (statement.Principal !== undefined) {
    let best: PrincipalMatch = false;
    for (const entry of awsEntries(statement.Principal)) {
      const hit = entryMatch(entry, principal);
      if (hit === 'role') return 'role';
      if (hit === 'session') best = 'unknown';
      else if (hit === 'account' && best === false) best = 'account';
    }
    return best;
  }
  if (statement.NotPrincipal !== undefined) {
    // The statement applies to everyone not listed. A role session is excluded only when the list names the
    // session itself (with its account); listing the role ARN or the account alone does not exclude a session.
    const hits = awsEntries(statement.NotPrincipal).map((entry) => entryMatch(entry, principal));
    if (hits.includes('session')) return 'unknown';
    return 'role';
  }
  return false;
}

export interface ResourcePolicy {
  /** "key policy of arn:aws:kms:…" / "bucket policy of amzn-s3-demo-bucket". */
  id: string;
  /** Statements with their Principal element as written. */
  statements: Array<{ statement: Statement; source: Record<string, unknown> }>;
  problems: PolicyProblem[];
}

const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

/** `"*"`, or `{"AWS": "…" | ["…"], "Service": …}` with only the documented principal types. */
function principalElement(value: unknown): boolean {
  if (value === '*') return true;
  if (!isRecord(value) || Object.keys(value).length === 0) return false;
  return Object.entries(value).every(
    ([type, v]) =>
      PRINCIPAL_TYPES.has(type) &&
      (typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string'))),
  );
}

/** Parse a resource policy: the identity-policy grammar plus Principal or NotPrincipal (exactly one). */
export function parseResourcePolicy(document: unknown, id: string): ResourcePolicy {
  const problems: PolicyProblem[] = [];
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document) as unknown;
    } catch {
      return { id, statements: [], problems: [{ policyId: id, path: '$', message: 'document is not valid JSON' }] };
    }
  }
  if (!isRecord(parsed))
    return {
      id,
      statements: [],
      problems: [{ policyId: id, path: '$', message: 'expected a policy document object' }],
    };
  const raw = parsed.Statement;
  const list = isRecord(raw) ? [raw] : Array.isArray(raw) ? raw : [];
  const principals: Array<Record<string, unknown>> = [];
  // Principal is checked here; the rest of the statement goes through the identity-policy parser without it.
  const stripped = list.map((entry, index) => {
    if (!isRecord(entry)) return entry;
    const path = isRecord(raw) ? '$.Statement' : `$.Statement[${index}]`;
    if ((entry.Principal === undefined) === (entry.NotPrincipal === undefined))
      problems.push({ policyId: id, path, message: 'expected exactly one of Principal and NotPrincipal' });
    for (const field of ['Principal', 'NotPrincipal'] as const)
      if (entry[field] !== undefined && !principalElement(entry[field]))
        problems.push({
          policyId: id,
          path: `${path}.${field}`,
          message: 'expected "*" or an object of AWS, Service, Federated or CanonicalUser principals (strings)',
        });
    const { Principal, NotPrincipal, ...rest } = entry;
    principals[index] = { Principal, NotPrincipal };
    return rest;
  });
  const result = parsePolicy({ ...parsed, Statement: isRecord(raw) ? stripped[0] : stripped }, id);
  problems.push(...result.problems);
  const bad = new Set(problems.map((p) => p.path.replace(/^(\$\.Statement(\[\d+\])?).*$/, '$1')));
  const statements = result.policy.statements
    .filter((s) => !bad.has(isRecord(raw) ? '$.Statement' : `$.Statement[${s.index}]`))
    .map((statement) => ({ statement, source: { ...statement.source, ...definedOf(principals[statement.index]) } }));
  return { id, statements, problems };
}

function definedOf(record: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** A statement that decided, or could not be decided, with the context keys it depends on. */
export interface ResourceStatementRef {
  policyId: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  keys: string[];
}

export interface ResourcePolicyEvaluation {
  /** An Allow naming the role (its ARN, `*`, NotPrincipal) applies. */
  allowsRole: Truth;
  /** An Allow naming the role's account applies (it delegates to identity policies). */
  allowsAccount: Truth;
  /** A Deny that applies to the role. */
  denies: Truth;
  /** The statements behind each true or unknown value. */
  statements: ResourceStatementRef[];
}

const truthOf = (decision: Decision): Truth =>
  decision === 'allowed' ? true : decision === 'unknown' ? 'unknown' : false;

function or(a: Truth, b: Truth): Truth {
  return a === true || b === true ? true : a === 'unknown' || b === 'unknown' ? 'unknown' : false;
}

/** Compile the statements of one kind as Allow statements, so the evaluator's "allowed" means "one applies". */
function compileGroup(policy: ResourcePolicy, group: Array<{ statement: Statement }>): CompiledPolicySet {
  const asAllow: Policy = {
    id: policy.id,
    version: '2012-10-17',
    statements: group.map(({ statement }) => ({ ...statement, effect: 'Allow' as const })),
  };
  return compilePolicySet({ identity: [asAllow] });
}

/**
 * Evaluate a resource policy for the role. Each group (Allow naming the role, Allow naming the account, Deny) is
 * judged with the identity evaluator, so conditions, variables and unknown keys follow the same rules.
 */
export function evaluateResourcePolicy(
  policy: ResourcePolicy,
  principal: PolicyPrincipal,
  request: AccessRequest,
): ResourcePolicyEvaluation {
  const groups = { allowsRole: [], allowsAccount: [], denies: [] } as Record<
    'allowsRole' | 'allowsAccount' | 'denies',
    Array<{ statement: Statement; unsure: boolean }>
  >;
  for (const entry of policy.statements) {
    const match = principalMatch(entry.source, principal);
    if (match === false) continue;
    const unsure = match === 'unknown';
    if (entry.statement.effect === 'Deny') groups.denies.push({ statement: entry.statement, unsure });
    else if (match === 'account') groups.allowsAccount.push({ statement: entry.statement, unsure });
    else groups.allowsRole.push({ statement: entry.statement, unsure });
  }
  const result: ResourcePolicyEvaluation = {
    allowsRole: false,
    allowsAccount: false,
    denies: false,
    statements: [],
  };
  for (const name of ['allowsRole', 'allowsAccount', 'denies'] as const) {
    for (const unsure of [false, true]) {
      const group = groups[name].filter((g) => g.unsure === unsure);
      if (group.length === 0) continue;
      const evaluation = evaluate(compileGroup(policy, group), request);
      let truth = truthOf(evaluation.decision);
      if (unsure && truth === true) truth = 'unknown';
      result[name] = or(result[name], truth);
      const decided = evaluation.decision === 'allowed' ? evaluation.matched.map((m) => ({ ...m, keys: [] })) : [];
      for (const ref of [...decided, ...(evaluation.unknown ?? [])]) {
        const original = group.find((g) => g.statement.index === ref.index)?.statement;
        result.statements.push({
          policyId: policy.id,
          index: ref.index,
          ...(ref.sid !== undefined ? { sid: ref.sid } : {}),
          effect: original?.effect ?? 'Allow',
          keys: unsure ? [...ref.keys, 'the role session name'] : ref.keys,
        });
      }
    }
  }
  return result;
}

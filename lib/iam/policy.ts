// IAM policy documents: parsing (object, JSON text or URL-encoded JSON) and validation into statements.
import { isRecord } from '../model/json';

export type Effect = 'Allow' | 'Deny';

export interface Statement {
  /** Policy the statement belongs to ("PolicyInputList.1", "arn:aws:iam::…:policy/x", "inline:Role/Name"). */
  policyId: string;
  /** 0-based position in the policy's Statement list. */
  index: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** Operator → key → values, as strings (numbers and booleans are written as IAM reads them). */
  condition?: Record<string, Record<string, string[]>>;
  /** The statement as written. */
  source: Record<string, unknown>;
}

export interface Policy {
  id: string;
  version?: string;
  statements: Statement[];
}

export interface PolicyProblem {
  policyId: string;
  /** JSONPath inside the policy document. */
  path: string;
  message: string;
}

export interface ParsedPolicy {
  policy: Policy;
  /** Statements with problems are left out of `policy`, so a broken statement never grants anything. */
  problems: PolicyProblem[];
}

/** Decode a document: an object, JSON text, or URL-encoded JSON text (as the raw IAM API returns it). */
export function decodePolicyDocument(input: unknown): { document?: unknown; error?: string } {
  if (typeof input !== 'string') return { document: input };
  const text = input.trim();
  const attempts = [text];
  if (!text.startsWith('{') && /%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      attempts.push(decodeURIComponent(text.replace(/\+/g, ' ')));
    } catch {
      return { error: 'document is neither JSON nor URL-encoded JSON' };
    }
  }
  for (const attempt of attempts.reverse()) {
    try {
      return { document: JSON.parse(attempt) as unknown };
    } catch {
      // try the next form
    }
  }
  return { error: 'document is not valid JSON' };
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function conditionValues(value: unknown): string[] | undefined {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (scalar(value)) return [String(value)];
  if (Array.isArray(value) && value.every(scalar)) return value.map(String);
  return undefined;
}

/** Condition keys are a service prefix (or `aws`), a colon and a name: `aws:SourceIp`, `s3:prefix`. */
const CONDITION_KEY = /^[A-Za-z0-9-]+:./;

export function parsePolicy(input: unknown, policyId: string): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ policyId, path, message });
  const { document, error } = decodePolicyDocument(input);
  const policy: Policy = { id: policyId, statements: [] };
  if (error !== undefined) {
    problem('$', error);
    return { policy, problems };
  }
  if (!isRecord(document)) {
    problem('$', 'expected a policy document object');
    return { policy, problems };
  }
  if (document.Version !== undefined) {
    if (document.Version !== '2012-10-17' && document.Version !== '2008-10-17')
      problem('$.Version', 'expected "2012-10-17" or "2008-10-17"');
    else policy.version = document.Version;
  }
  const raw = document.Statement;
  const list = isRecord(raw) ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (list === undefined) {
    problem('$.Statement', 'expected a statement object or an array of statements');
    return { policy, problems };
  }
  list.forEach((entry, index) => {
    const path = isRecord(raw) ? '$.Statement' : `$.Statement[${index}]`;
    const before = problems.length;
    if (!isRecord(entry)) {
      problem(path, 'expected a statement object');
      return;
    }
    if (entry.Effect !== 'Allow' && entry.Effect !== 'Deny') problem(`${path}.Effect`, 'expected "Allow" or "Deny"');
    const statement: Statement = { policyId, index, effect: entry.Effect as Effect, source: entry };
    if (typeof entry.Sid === 'string') statement.sid = entry.Sid;
    else if (entry.Sid !== undefined) problem(`${path}.Sid`, 'expected a string');
    if ('Principal' in entry || 'NotPrincipal' in entry)
      problem(`${path}.Principal`, 'identity policies cannot name a Principal');
    for (const [field, key] of [
      ['Action', 'action'],
      ['NotAction', 'notAction'],
      ['Resource', 'resource'],
      ['NotResource', 'notResource'],
    ] as const) {
      if (entry[field] === undefined) continue;
      const values = stringList(entry[field]);
      if (values === undefined) problem(`${path}.${field}`, 'expected a string or a non-empty array of strings');
      else statement[key] = values;
    }
    if ((entry.Action === undefined) === (entry.NotAction === undefined))
      problem(path, 'expected exactly one of Action and NotAction');
    if ((entry.Resource === undefined) === (entry.NotResource === undefined))
      problem(path, 'expected exactly one of Resource and NotResource');
    if (entry.Condition !== undefined) {
      if (!isRecord(entry.Condition)) problem(`${path}.Condition`, 'expected an object of condition operators');
      else {
        // Null-prototype tables: an operator or key named `__proto__` is stored, not turned into a prototype.
        const condition: Record<string, Record<string, string[]>> = Object.create(null);
        for (const [operator, block] of Object.entries(entry.Condition)) {
          if (!isRecord(block)) {
            problem(`${path}.Condition.${operator}`, 'expected an object of condition keys');
            continue;
          }
          const keys: Record<string, string[]> = Object.create(null);
          condition[operator] = keys;
          for (const [key, value] of Object.entries(block)) {
            const values = conditionValues(value);
            if (!CONDITION_KEY.test(key))
              problem(`${path}.Condition.${operator}["${key}"]`, 'expected a condition key of the form prefix:name');
            else if (values === undefined)
              problem(
                `${path}.Condition.${operator}["${key}"]`,
                'expected a string, number, boolean or an array of them',
              );
            else keys[key] = values;
          }
        }
        statement.condition = condition;
      }
    }
    if (problems.length === before) policy.statements.push(statement);
  });
  return { policy, problems };
}

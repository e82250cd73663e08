// Wildcard matching of actions, ARNs and strings, and policy variable substitution.
import { interpolations } from '../model/text';

// `${*}` and `${?}` stand for literal characters; substitution writes these sentinels so no wildcard is made of them.
const LITERAL_STAR = '\uE000';
const LITERAL_QUESTION = '\uE001';

/** A substituted string for comparisons that do not glob (StringEquals…): sentinels back to their characters. */
export function literal(text: string): string {
  return text.includes(LITERAL_STAR) || text.includes(LITERAL_QUESTION)
    ? text.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?')
    : text;
}

/**
 * The characters of a pattern before its first wildcard (or literal-character sentinel): every value
 * globMatch or arnMatches lets it match begins with them.
 */
export function literalPrefix(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '?' || c === LITERAL_STAR || c === LITERAL_QUESTION) return pattern.slice(0, i);
  }
  return pattern;
}

/**
 * `*` matches any run of characters, `?` exactly one; everything else is literal. Two-pointer matching: on a
 * mismatch only the last `*` seen takes one more character, so the cost is at most pattern × value steps and
 * never the exponential backtracking a RegExp built from the pattern allows (`*a*a*a*a*b`).
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return literal(pattern) === value;
  let p = 0;
  let v = 0;
  // Position after the last `*`, and the value position that `*` has consumed up to.
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = ++p;
      starV = v;
    } else if (c !== undefined && (c === '?' || matchesLiteral(c, value[v] as string))) {
      p++;
      v++;
    } else if (starP >= 0) {
      p = starP;
      v = ++starV;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** One pattern character against one value character; the sentinels stand for a literal `*` and `?`. */
function matchesLiteral(patternChar: string, valueChar: string): boolean {
  if (patternChar === LITERAL_STAR) return valueChar === '*';
  if (patternChar === LITERAL_QUESTION) return valueChar === '?';
  return patternChar === valueChar;
}

/** Action names are case-insensitive: `S3:getobject` is `s3:GetObject`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern.toLowerCase(), action.toLowerCase());
}

/**
 * ARN matching: the partition, service, region and account segments are matched one by one (a wildcard
 * does not cross a colon there); the resource part is matched whole, so `*` spans `/` and `:` inside it.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('arn:')) return globMatch(pattern, arn);
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (arnParts.length < patternParts.length) return false;
  for (let i = 0; i < patternParts.length - 1; i++) {
    if (!globMatch(patternParts[i] as string, arnParts[i] as string)) return false;
  }
  const last = patternParts.length - 1;
  return globMatch(patternParts[last] as string, arnParts.slice(last).join(':'));
}

/** Split into at most 6 parts: arn, partition, service, region, account, resource. */
function splitArn(arn: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) break;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/** Request context: key names lower-cased, every value a string. */
export type RequestContext = Map<string, readonly string[]>;

export const UNRESOLVED = Symbol('unresolved policy variable');

/**
 * Replace `${key}`, `${key, 'default'}`, `${*}`, `${?}` and `${$}` in a policy string.
 * Returns UNRESOLVED when a variable has no value and no default.
 */
export function substituteVariables(text: string, context: RequestContext): string | typeof UNRESOLVED {
  if (!text.includes('${')) return text;
  let unresolved = false;
  const replace = (inner: string): string => {
    const trimmed = inner.trim();
    if (trimmed === '*') return LITERAL_STAR;
    if (trimmed === '?') return LITERAL_QUESTION;
    if (trimmed === '$') return '$';
    const comma = trimmed.indexOf(',');
    const key = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim().toLowerCase();
    const values = context.get(key);
    if (values !== undefined && values.length === 1) return values[0] as string;
    if (comma >= 0) {
      const fallback = /^'([^']*)'$/.exec(trimmed.slice(comma + 1).trim());
      if (fallback) return fallback[1] as string;
    }
    unresolved = true;
    return '';
  };
  let result = '';
  let from = 0;
  for (const term of interpolations(text)) {
    result += text.slice(from, term.index) + replace(term.inner);
    from = term.end;
  }
  result += text.slice(from);
  return unresolved ? UNRESOLVED : result;
}

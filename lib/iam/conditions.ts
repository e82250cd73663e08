// Condition operators, with the documented rules for missing keys, IfExists and the set qualifiers.
import { variableKeys, type UnknownKeyTest } from './knowledge';
import { arnMatches, globMatch, literal, substituteVariables, UNRESOLVED, type RequestContext } from './match';

type Compare = (requestValue: string, policyValue: string) => boolean;

/**
 * What a policy value must look like for the operator; IAM refuses to save a policy whose values do not. String
 * and ARN operators take any text (wildcards included).
 */
type ValueKind = 'text' | 'number' | 'date' | 'bool' | 'ip';

interface OperatorDef {
  compare: Compare;
  negated: boolean;
  kind: ValueKind;
}

const EPOCH_SECONDS = /^\d+(\.\d+)?$/;
// W3C profile of ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, then optionally a time, which needs a zone designator.
const ISO_8601 = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** Milliseconds since the epoch of an ISO 8601 date or epoch seconds; NaN for anything else (Date.parse is lax). */
function parseDate(value: string): number {
  if (EPOCH_SECONDS.test(value)) return Number(value) * 1000;
  return ISO_8601.test(value) ? Date.parse(value) : NaN;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function ipToBigInt(ip: string): { value: bigint; bits: number } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const octets = ip.split('.').map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return { value: octets.reduce((acc, o) => (acc << 8n) + BigInt(o), 0n), bits: 32 };
  }
  if (!ip.includes(':')) return undefined;
  let [head = '', tail] = ip.split('::') as [string, string | undefined];
  if (ip.split('::').length > 2) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(tail ?? head);
  if (v4) {
    const parsed = ipToBigInt(v4[1] as string);
    if (!parsed) return undefined;
    const hex = `${(parsed.value >> 16n).toString(16)}:${(parsed.value & 0xffffn).toString(16)}`;
    if (tail !== undefined) tail = tail.replace(v4[1] as string, hex);
    else head = head.replace(v4[1] as string, hex);
  }
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { value: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function parseRange(range: string): { value: bigint; bits: number; mask: number } | undefined {
  const [network = '', maskText, extra] = range.split('/');
  const net = ipToBigInt(network.trim());
  if (!net || extra !== undefined) return undefined;
  const mask = maskText === undefined ? net.bits : Number(maskText);
  if (!Number.isInteger(mask) || mask < 0 || mask > net.bits) return undefined;
  return { ...net, mask };
}

export function ipInRange(ip: string, range: string): boolean {
  const address = ipToBigInt(ip.trim());
  const net = parseRange(range);
  if (!address || !net || address.bits !== net.bits) return false;
  const shift = BigInt(net.bits - net.mask);
  return address.value >> shift === net.value >> shift;
}

const numeric =
  (f: (a: number, b: number) => boolean): Compare =>
  (v, p) => {
    const a = Number(v);
    const b = Number(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && v.trim() !== '' && f(a, b);
  };
const date =
  (f: (a: number, b: number) => boolean): Compare =>
  (v, p) => {
    const a = parseDate(v);
    const b = parseDate(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
  };
const eq: Compare = (v, p) => v === literal(p);
const eqIgnoreCase: Compare = (v, p) => v.toLowerCase() === literal(p).toLowerCase();
const like: Compare = (v, p) => globMatch(p, v);
const arn: Compare = (v, p) => arnMatches(p, v);

// A Map, so an operator named like an Object.prototype member (`__proto__`, `constructor`) is simply unknown.
const OPERATORS = new Map<string, OperatorDef>([
  ['stringequals', { compare: eq, negated: false, kind: 'text' }],
  ['stringnotequals', { compare: eq, negated: true, kind: 'text' }],
  ['stringequalsignorecase', { compare: eqIgnoreCase, negated: false, kind: 'text' }],
  ['stringnotequalsignorecase', { compare: eqIgnoreCase, negated: true, kind: 'text' }],
  ['stringlike', { compare: like, negated: false, kind: 'text' }],
  ['stringnotlike', { compare: like, negated: true, kind: 'text' }],
  ['numericequals', { compare: numeric((a, b) => a === b), negated: false, kind: 'number' }],
  ['numericnotequals', { compare: numeric((a, b) => a === b), negated: true, kind: 'number' }],
  ['numericlessthan', { compare: numeric((a, b) => a < b), negated: false, kind: 'number' }],
  ['numericlessthanequals', { compare: numeric((a, b) => a <= b), negated: false, kind: 'number' }],
  ['numericgreaterthan', { compare: numeric((a, b) => a > b), negated: false, kind: 'number' }],
  ['numericgreaterthanequals', { compare: numeric((a, b) => a >= b), negated: false, kind: 'number' }],
  ['dateequals', { compare: date((a, b) => a === b), negated: false, kind: 'date' }],
  ['datenotequals', { compare: date((a, b) => a === b), negated: true, kind: 'date' }],
  ['datelessthan', { compare: date((a, b) => a < b), negated: false, kind: 'date' }],
  ['datelessthanequals', { compare: date((a, b) => a <= b), negated: false, kind: 'date' }],
  ['dategreaterthan', { compare: date((a, b) => a > b), negated: false, kind: 'date' }],
  ['dategreaterthanequals', { compare: date((a, b) => a >= b), negated: false, kind: 'date' }],
  ['bool', { compare: eqIgnoreCase, negated: false, kind: 'bool' }],
  ['binaryequals', { compare: eq, negated: false, kind: 'text' }],
  ['ipaddress', { compare: ipInRange, negated: false, kind: 'ip' }],
  ['notipaddress', { compare: ipInRange, negated: true, kind: 'ip' }],
  ['arnequals', { compare: arn, negated: false, kind: 'text' }],
  ['arnlike', { compare: arn, negated: false, kind: 'text' }],
  ['arnnotequals', { compare: arn, negated: true, kind: 'text' }],
  ['arnnotlike', { compare: arn, negated: true, kind: 'text' }],
]);

const isBool = (value: string) => value.toLowerCase() === 'true' || value.toLowerCase() === 'false';

/** Why a policy value cannot be compared with this kind of operator, or undefined when it can. */
function malformedValue(kind: ValueKind, value: string): string | undefined {
  switch (kind) {
    case 'number':
      return DECIMAL.test(value) ? undefined : 'expected a number';
    case 'date':
      return Number.isNaN(parseDate(value)) ? 'expected an ISO 8601 date or epoch seconds' : undefined;
    case 'bool':
      return isBool(value) ? undefined : 'expected true or false';
    case 'ip':
      return parseRange(value) ? undefined : 'expected an IPv4 or IPv6 address or CIDR range';
    case 'text':
      return undefined;
  }
}

/** A condition's outcome: decided, or 'unknown' when its key or a variable in its values has an unknown value. */
export type Truth = boolean | 'unknown';

const NOTHING_UNKNOWN: UnknownKeyTest = () => false;

export interface CompiledCondition {
  /** The operator as written ("ForAnyValue:StringLikeIfExists"). */
  operator: string;
  /** Condition key as written, and lower-cased for lookup. */
  key: string;
  lookup: string;
  values: string[];
  /** Keys of the policy variables in the values, as written. */
  variables: string[];
  /** `isUnknown` tells, for a key the context does not carry, whether it is unknown rather than absent. */
  test(context: RequestContext, isUnknown?: UnknownKeyTest): Truth;
}

/**
 * Compile one operator/key/values triple; unknown operators give an error message instead. Policy variables are
 * honoured only in policies of Version 2012-10-17; elsewhere `${…}` is literal text.
 */
export function compileCondition(
  operator: string,
  key: string,
  values: string[],
  variablesHonoured = true,
): CompiledCondition | string {
  let name = operator.toLowerCase();
  let set: 'all' | 'any' | undefined;
  if (name.startsWith('forallvalues:')) {
    set = 'all';
    name = name.slice('forallvalues:'.length);
  } else if (name.startsWith('foranyvalue:')) {
    set = 'any';
    name = name.slice('foranyvalue:'.length);
  }
  const lookup = key.toLowerCase();
  const variables = variablesHonoured ? [...new Set(values.flatMap(variableKeys))] : [];
  const base = { operator, key, lookup, values, variables };

  if (name === 'null') {
    if (set) return `${operator}: Null takes no set qualifier`;
    const notBool = values.find((v) => !isBool(v));
    if (notBool !== undefined) return `${operator} ${key}: "${notBool}": expected true or false`;
    return {
      ...base,
      test: (context, isUnknown = NOTHING_UNKNOWN) => {
        const present = (context.get(lookup)?.length ?? 0) > 0;
        if (!context.has(lookup) && isUnknown(lookup)) return 'unknown';
        return values.some((v) => (v.toLowerCase() === 'true' ? !present : present));
      },
    };
  }
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  const def = OPERATORS.get(name);
  if (!def) return `unknown condition operator "${operator}"`;
  const { compare, negated, kind } = def;
  const hasVariables = variablesHonoured && values.some((v) => v.includes('${'));
  // A malformed value would make a negated operator match everything and a positive one nothing: IAM refuses it.
  for (const value of values) {
    const variable = variablesHonoured && value.includes('${');
    if (kind === 'date' && variable) return `${operator} ${key}: Date operators take no policy variables`;
    const problem = variable ? undefined : malformedValue(kind, value);
    if (problem !== undefined) return `${operator} ${key}: "${value}": ${problem}`;
  }

  return {
    ...base,
    test(context, isUnknown = NOTHING_UNKNOWN) {
      const requestValues = context.get(lookup);
      const missing = requestValues === undefined || requestValues.length === 0;
      if (requestValues === undefined && isUnknown(lookup)) return 'unknown';
      if (missing) {
        if (ifExists) return true;
        if (set === 'all') return true;
        if (set === 'any') return false;
        return negated;
      }
      let policyValues = values;
      if (hasVariables) {
        // A variable with an unknown value is undecided, even where a default would stand in for an absent one.
        if (base.variables.some((k) => !context.has(k.toLowerCase()) && isUnknown(k.toLowerCase()))) return 'unknown';
        const resolved: string[] = [];
        for (const value of values) {
          const substituted = substituteVariables(value, context);
          if (substituted === UNRESOLVED) return false;
          resolved.push(substituted);
        }
        policyValues = resolved;
      }
      const matchesAny = (v: string) => policyValues.some((p) => compare(v, p));
      // Per request value: a positive operator needs one policy value to match, a negated one none.
      const satisfied = (v: string) => (negated ? !matchesAny(v) : matchesAny(v));
      if (set === 'all') return requestValues.every(satisfied);
      if (set === 'any') return requestValues.some(satisfied);
      return negated ? requestValues.every(satisfied) : requestValues.some(satisfied);
    },
  };
}

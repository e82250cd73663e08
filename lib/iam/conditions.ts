// Condition operators, with the documented rules for missing keys, IfExists and the set qualifiers.
import { variableKeys, type UnknownKeyTest } from './knowledge';
import { arnMatches, globMatch, literal, substituteVariables, UNRESOLVED, type RequestContext } from './match';

type Compare = (requestValue: string, policyValue: string) => boolean;

interface OperatorDef {
  compare: Compare;
  negated: boolean;
}

function parseDate(value: string): number {
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

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

export function ipInRange(ip: string, range: string): boolean {
  const [network = '', maskText] = range.split('/');
  const address = ipToBigInt(ip.trim());
  const net = ipToBigInt(network.trim());
  if (!address || !net || address.bits !== net.bits) return false;
  const mask = maskText === undefined ? net.bits : Number(maskText);
  if (!Number.isInteger(mask) || mask < 0 || mask > net.bits) return false;
  const shift = BigInt(net.bits - mask);
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

const OPERATORS: Record<string, OperatorDef> = {
  stringequals: { compare: eq, negated: false },
  stringnotequals: { compare: eq, negated: true },
  stringequalsignorecase: { compare: eqIgnoreCase, negated: false },
  stringnotequalsignorecase: { compare: eqIgnoreCase, negated: true },
  stringlike: { compare: like, negated: false },
  stringnotlike: { compare: like, negated: true },
  numericequals: { compare: numeric((a, b) => a === b), negated: false },
  numericnotequals: { compare: numeric((a, b) => a === b), negated: true },
  numericlessthan: { compare: numeric((a, b) => a < b), negated: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b), negated: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b), negated: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b), negated: false },
  dateequals: { compare: date((a, b) => a === b), negated: false },
  datenotequals: { compare: date((a, b) => a === b), negated: true },
  datelessthan: { compare: date((a, b) => a < b), negated: false },
  datelessthanequals: { compare: date((a, b) => a <= b), negated: false },
  dategreaterthan: { compare: date((a, b) => a > b), negated: false },
  dategreaterthanequals: { compare: date((a, b) => a >= b), negated: false },
  bool: { compare: eqIgnoreCase, negated: false },
  binaryequals: { compare: eq, negated: false },
  ipaddress: { compare: ipInRange, negated: false },
  notipaddress: { compare: ipInRange, negated: true },
  arnequals: { compare: arn, negated: false },
  arnlike: { compare: arn, negated: false },
  arnnotequals: { compare: arn, negated: true },
  arnnotlike: { compare: arn, negated: true },
};

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

/** Compile one operator/key/values triple; unknown operators give an error message instead. */
export function compileCondition(operator: string, key: string, values: string[]): CompiledCondition | string {
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
  const base = { operator, key, lookup, values, variables: [...new Set(values.flatMap(variableKeys))] };

  if (name === 'null') {
    if (set) return `${operator}: Null takes no set qualifier`;
    return {
      ...base,
      test: (context, isUnknown = NOTHING_UNKNOWN) => {
        const present = (context.get(lookup)?.length ?? 0) > 0;
        if (!context.has(lookup) && isUnknown(lookup)) return 'unknown';
        return values.some((v) =>
          v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false,
        );
      },
    };
  }
  const ifExists = name.endsWith('ifexists');
  if (ifExists) name = name.slice(0, -'ifexists'.length);
  const def = OPERATORS[name];
  if (!def) return `unknown condition operator "${operator}"`;
  const { compare, negated } = def;
  const hasVariables = values.some((v) => v.includes('${'));

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

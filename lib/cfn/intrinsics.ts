// CloudFormation intrinsic functions, resolved to values where they can be known before deployment.
import { UNRESOLVED_MARKER } from '../model/arns';
import { isRecord, textOf } from '../model/json';
import { MAX_DOCUMENT_BYTES } from './load';

/** No resolved string is longer than the largest document read: nested Fn::Sub doubling stops here. */
export const MAX_RESOLVED_CHARS = MAX_DOCUMENT_BYTES;
/** Intrinsics visited by one resolution (with what it triggers through Ref and GetAtt): mapping loops stop here. */
export const MAX_RESOLVE_STEPS = 1_000_000;

/** A resolution past a limit: names the path inside the resolved value where it went over. */
export class ResolutionLimitError extends Error {
  override name = 'ResolutionLimitError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`intrinsic functions at ${path}: ${detail}`);
  }
}

/**
 * The work and the place of the resolution under way; nested resolutions (through env.ref) share it. Module
 * state is safe with invocations overlapping in one process: resolve() is synchronous, so no other resolution
 * can start while one is active.
 */
interface Resolution {
  steps: number;
  path: Array<string | number>;
}
let active: Resolution | undefined;

function pathText(path: ReadonlyArray<string | number>): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('')}`;
}

function limitError(detail: string): ResolutionLimitError {
  return new ResolutionLimitError(pathText(active?.path ?? []), detail);
}

function tooLong(fn: string): ResolutionLimitError {
  return limitError(`${fn} resolves to more than ${MAX_RESOLVED_CHARS} characters (nested Fn::Sub or Fn::Join?)`);
}

/** A resolved string, refused past the size limit. */
function capped(text: string, fn: string): string {
  if (text.length > MAX_RESOLVED_CHARS) throw tooLong(fn);
  return text;
}

/**
 * Replace every `${name}` (name non-empty) with `replacement(name)`, or keep the text when it returns undefined.
 * A scan rather than a global RegExp: `\$\{([^}]+)\}` rescans to the end from every unclosed `${`.
 */
function replaceVariables(text: string, fn: string, replacement: (name: string) => string | undefined): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('${'); open >= 0; open = text.indexOf('${', open + 1)) {
    const close = text.indexOf('}', open + 2);
    if (close < 0) break; // no later `${` can close either
    if (close === open + 2) continue;
    const replaced = replacement(text.slice(open + 2, close));
    if (replaced !== undefined) {
      out += text.slice(from, open) + replaced;
      if (out.length > MAX_RESOLVED_CHARS) throw tooLong(fn);
      from = close + 1;
    }
    open = close;
  }
  return capped(out + text.slice(from), fn);
}

/** A value known only at deployment; the text stays JSON-safe because definitions embed it in JSON strings. */
export function unresolved(description: string): string {
  return `${UNRESOLVED_MARKER}${description.replace(/["\\{}\u0000-\u001f]/g, "'")}}}`;
}

/** Removed from objects and arrays, as AWS::NoValue is. */
export const NO_VALUE = Symbol('AWS::NoValue');

/** A condition that depends on a value known only at deployment (a parameter without a value): both worlds hold. */
/** How deep one value's intrinsics are followed; deeper is unresolved ('nesting too deep'). */
export const MAX_RESOLUTION_DEPTH = 200;

export const UNKNOWN_CONDITION = Symbol('unknown condition');
export type ConditionValue = boolean | typeof UNKNOWN_CONDITION;

export interface ResolveEnv {
  pseudo: Record<string, unknown>;
  parameters: ReadonlyMap<string, unknown>;
  mappings: Record<string, unknown>;
  conditions: (name: string) => ConditionValue;
  /** Values other templates checked together export (Outputs.Export.Name → value), for Fn::ImportValue. */
  imports?: ReadonlyMap<string, unknown>;
  /** What an unknown condition depends on ("parameter Env"), for the markers of the values it picks. */
  conditionInputs?: (name: string) => string[];
  ref: (logicalId: string) => unknown;
  getAtt: (logicalId: string, attribute: string) => unknown;
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return unresolved(`non-string ${JSON.stringify(value)?.slice(0, 60) ?? 'value'}`);
}

function refValue(name: string, env: ResolveEnv): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name.startsWith('AWS::')) return Object.hasOwn(env.pseudo, name) ? env.pseudo[name] : unresolved(`Ref ${name}`);
  if (env.parameters.has(name)) return env.parameters.get(name);
  return env.ref(name);
}

/** Fn::Sub: `${Name}`, `${Resource.Attr}` and `${!Literal}`. */
function substitute(template: string, variables: Record<string, unknown>, env: ResolveEnv): string {
  return replaceVariables(template, 'Fn::Sub', (inner) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return str(variables[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return str(env.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    return str(refValue(name, env));
  });
}

/** Three-valued: a condition on an unresolved value is unknown, neither true nor false. */
function truth(resolved: unknown): ConditionValue {
  if (resolved === UNKNOWN_CONDITION) return UNKNOWN_CONDITION;
  if (resolved === true || resolved === 'true') return true;
  if (typeof resolved === 'string' && resolved.includes(UNRESOLVED_MARKER)) return UNKNOWN_CONDITION;
  return false;
}

function all(values: ConditionValue[]): ConditionValue {
  return values.includes(false) ? false : values.includes(UNKNOWN_CONDITION) ? UNKNOWN_CONDITION : true;
}

function some(values: ConditionValue[]): ConditionValue {
  return values.includes(true) ? true : values.includes(UNKNOWN_CONDITION) ? UNKNOWN_CONDITION : false;
}

export function evaluateCondition(value: unknown, env: ResolveEnv): ConditionValue {
  return truth(resolve(value, env));
}

/**
 * Resolve every intrinsic in `value`. Unknowable values become unresolved markers, never exceptions; past the
 * size or step limit a ResolutionLimitError names where.
 */
export function resolve(value: unknown, env: ResolveEnv): unknown {
  if (active) return resolveValue(value, env, 0);
  active = { steps: 0, path: [] };
  try {
    return resolveValue(value, env, 0);
  } finally {
    active = undefined;
  }
}

/** Resolve `value` one path segment further down. */
function resolveAt(segment: string | number, value: unknown, env: ResolveEnv, depth: number): unknown {
  const path = (active as Resolution).path;
  path.push(segment);
  const resolved = resolveValue(value, env, depth);
  path.pop();
  return resolved;
}

function lookupMapping(env: ResolveEnv, names: string[]): unknown {
  let node: unknown = env.mappings;
  for (const name of names) node = isRecord(node) && Object.hasOwn(node, name) ? node[name] : undefined;
  return node;
}

function resolveValue(value: unknown, env: ResolveEnv, depth: number): unknown {
  if (depth > MAX_RESOLUTION_DEPTH) return unresolved('nesting too deep');
  const resolution = active as Resolution;
  if (++resolution.steps > MAX_RESOLVE_STEPS)
    throw limitError(`resolving takes more than ${MAX_RESOLVE_STEPS} steps (a self-referencing Fn::FindInMap?)`);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    value.forEach((item, index) => {
      const resolved = resolveAt(index, item, env, depth + 1);
      if (resolved !== NO_VALUE) items.push(resolved);
    });
    return items;
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = value[fn];
    const r = (v: unknown, ...at: Array<string | number>) => {
      resolution.path.push(fn, ...at);
      const resolved = resolveValue(v, env, depth + 1);
      resolution.path.length -= at.length + 1;
      return resolved;
    };
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? refValue(arg, env) : unresolved('Ref with a non-string');
      case 'Fn::GetAtt': {
        const parts =
          typeof arg === 'string'
            ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
            : Array.isArray(arg)
              ? arg.map((a, i) => str(r(a, i)))
              : [];
        return parts.length >= 2
          ? env.getAtt(textOf(parts[0]), parts.slice(1).join('.'))
          : unresolved('GetAtt without attribute');
      }
      case 'Fn::Sub': {
        resolution.path.push(fn);
        try {
          if (typeof arg === 'string') return substitute(arg, {}, env);
          if (Array.isArray(arg) && typeof arg[0] === 'string') {
            const vars = resolveAt(1, arg[1] ?? {}, env, depth + 1);
            return substitute(arg[0], isRecord(vars) ? vars : {}, env);
          }
        } finally {
          resolution.path.pop();
        }
        return unresolved('malformed Fn::Sub');
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Join');
        const items = r(arg[1], 1);
        if (!Array.isArray(items)) return unresolved('Fn::Join of a non-list');
        const delimiter = str(r(arg[0], 0));
        const parts = items.map(str);
        // Measured before joining, so an oversized result is never built.
        let length = delimiter.length * Math.max(parts.length - 1, 0);
        for (const part of parts) length += part.length;
        if (length > MAX_RESOLVED_CHARS) throw tooLong(fn);
        return parts.join(delimiter);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Select');
        const index = Number(r(arg[0], 0));
        const list = r(arg[1], 1);
        return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length
          ? list[index]
          : unresolved('Fn::Select out of range or of an unknown list');
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Split');
        const text = r(arg[1], 1);
        const delimiter = str(r(arg[0], 0));
        return typeof text === 'string' ? text.split(delimiter) : unresolved('Fn::Split of a non-string');
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
          return unresolved('malformed Fn::If');
        const holds = env.conditions(arg[0]);
        if (holds !== UNKNOWN_CONDITION) return holds ? r(arg[1], 1) : r(arg[2], 2);
        // Both worlds: where the branches agree the value holds; where they differ it is unknown, naming why.
        const [yes, no] = [r(arg[1], 1), r(arg[2], 2)];
        if (JSON.stringify(yes) === JSON.stringify(no)) return yes;
        const inputs = env.conditionInputs?.(arg[0]) ?? [];
        return unresolved(`Fn::If ${arg[0]}${inputs.length > 0 ? ` on ${inputs.join(', ')}` : ''}`);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return false;
        const [left, right] = [JSON.stringify(r(arg[0], 0)), JSON.stringify(r(arg[1], 1))];
        if (left === right) return true;
        return `${left}${right}`.includes(UNRESOLVED_MARKER) ? UNKNOWN_CONDITION : false;
      }
      case 'Fn::And':
        return Array.isArray(arg) ? all(arg.map((c, i) => truth(r(c, i)))) : false;
      case 'Fn::Or':
        return Array.isArray(arg) ? some(arg.map((c, i) => truth(r(c, i)))) : false;
      case 'Fn::Not': {
        if (!Array.isArray(arg)) return false;
        const value = truth(r(arg[0], 0));
        return value === UNKNOWN_CONDITION ? value : !value;
      }
      case 'Condition':
        return typeof arg === 'string' ? env.conditions(arg) : false;
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return unresolved('malformed Fn::FindInMap');
        const names = arg.slice(0, 3).map((a, i) => str(r(a, i)));
        const found = lookupMapping(env, names);
        // The mapping value is resolved at its own place in the template, so a loop names the mapping.
        if (found !== undefined) {
          const outer = resolution.path;
          resolution.path = ['Mappings', ...names];
          try {
            return resolveValue(found, env, depth + 1);
          } finally {
            resolution.path = outer;
          }
        }
        const fallback = arg[3];
        return isRecord(fallback) && Object.hasOwn(fallback, 'DefaultValue')
          ? r(fallback.DefaultValue, 3, 'DefaultValue')
          : unresolved(`Fn::FindInMap ${names.join('/')}`);
      }
      case 'Fn::ImportValue': {
        const name = r(arg);
        if (typeof name === 'string' && env.imports?.has(name)) return env.imports.get(name);
        return unresolved(`Fn::ImportValue ${JSON.stringify(name)}`);
      }
      case 'Fn::Base64':
        return capped(Buffer.from(str(r(arg))).toString('base64'), fn);
      case 'Fn::ToJsonString':
        return capped(JSON.stringify(r(arg)), fn);
      case 'Fn::Length': {
        const list = r(arg);
        return Array.isArray(list) ? list.length : unresolved('Fn::Length of a non-list');
      }
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
      case 'Fn::Transform':
      case 'Fn::ForEach':
        return unresolved(fn);
      default:
        break;
    }
  }
  // Built from entries, so a `__proto__` key stays an own property instead of replacing the prototype.
  const entries: Array<[string, unknown]> = [];
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveAt(key, item, env, depth + 1);
    if (resolved !== NO_VALUE) entries.push([key, resolved]);
  }
  return Object.fromEntries(entries);
}

/** DefinitionSubstitutions: `${key}` in every string of a definition. */
export function applySubstitutions<T>(value: T, substitutions: Record<string, unknown>): T {
  if (Object.keys(substitutions).length === 0) return value;
  const replace = (text: string) =>
    replaceVariables(text, 'DefinitionSubstitutions', (key) =>
      Object.hasOwn(substitutions, key) ? str(substitutions[key]) : undefined,
    );
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replace(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [replace(k), walk(item)]));
    return v;
  };
  return walk(value) as T;
}

// CloudFormation intrinsic functions, resolved to values where they can be known before deployment.
import { UNRESOLVED_MARKER } from '../model/arns';
import { defineOwn, isRecord, own } from '../model/json';

/** A value known only at deployment; the text stays JSON-safe because definitions embed it in JSON strings. */
export function unresolved(description: string): string {
  return `${UNRESOLVED_MARKER}${description.replace(/["\\{}\u0000-\u001f]/g, "'")}}}`;
}

/** Removed from objects and arrays, as AWS::NoValue is. */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface ResolveEnv {
  pseudo: Record<string, unknown>;
  parameters: ReadonlyMap<string, unknown>;
  mappings: Record<string, unknown>;
  conditions: (name: string) => boolean;
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
  return template.replace(/\$\{([^}]+)\}/g, (_whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.hasOwn(variables, name)) return str(variables[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return str(env.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    return str(refValue(name, env));
  });
}

export function evaluateCondition(value: unknown, env: ResolveEnv): boolean {
  const resolved = resolve(value, env);
  return resolved === true || resolved === 'true';
}

/** Resolve every intrinsic in `value`. Unknowable values become unresolved markers, never exceptions. */
export function resolve(value: unknown, env: ResolveEnv, depth = 0): unknown {
  if (depth > 200) return unresolved('nesting too deep');
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, env, depth + 1)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = value[fn];
    const r = (v: unknown) => resolve(v, env, depth + 1);
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? refValue(arg, env) : unresolved('Ref with a non-string');
      case 'Fn::GetAtt': {
        const parts =
          typeof arg === 'string'
            ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
            : Array.isArray(arg)
              ? arg.map((a) => str(r(a)))
              : [];
        return parts.length >= 2
          ? env.getAtt(String(parts[0]), parts.slice(1).join('.'))
          : unresolved('GetAtt without attribute');
      }
      case 'Fn::Sub': {
        if (typeof arg === 'string') return substitute(arg, {}, env);
        if (Array.isArray(arg) && typeof arg[0] === 'string') {
          const vars = r(arg[1] ?? {});
          return substitute(arg[0], isRecord(vars) ? vars : {}, env);
        }
        return unresolved('malformed Fn::Sub');
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Join');
        const items = r(arg[1]);
        return Array.isArray(items) ? items.map(str).join(str(r(arg[0]))) : unresolved('Fn::Join of a non-list');
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Select');
        const index = Number(r(arg[0]));
        const list = r(arg[1]);
        return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length
          ? list[index]
          : unresolved('Fn::Select out of range or of an unknown list');
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return unresolved('malformed Fn::Split');
        const text = r(arg[1]);
        const delimiter = str(r(arg[0]));
        return typeof text === 'string' ? text.split(delimiter) : unresolved('Fn::Split of a non-string');
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
          return unresolved('malformed Fn::If');
        return r(env.conditions(arg[0]) ? arg[1] : arg[2]);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return false;
        return JSON.stringify(r(arg[0])) === JSON.stringify(r(arg[1]));
      }
      case 'Fn::And':
        return Array.isArray(arg) && arg.every((c) => evaluateCondition(c, env));
      case 'Fn::Or':
        return Array.isArray(arg) && arg.some((c) => evaluateCondition(c, env));
      case 'Fn::Not':
        return Array.isArray(arg) && !evaluateCondition(arg[0], env);
      case 'Condition':
        return typeof arg === 'string' && env.conditions(arg);
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return unresolved('malformed Fn::FindInMap');
        const [map, top, second] = arg.slice(0, 3).map((a) => str(r(a)));
        const mapping = own(env.mappings, map as string);
        const level = isRecord(mapping) ? own(mapping, top as string) : undefined;
        const found = isRecord(level) ? own(level, second as string) : undefined;
        if (found !== undefined) return r(found);
        const fallback = arg[3];
        return isRecord(fallback) && Object.hasOwn(fallback, 'DefaultValue')
          ? r(fallback.DefaultValue)
          : unresolved(`Fn::FindInMap ${map}/${top}/${second}`);
      }
      case 'Fn::ImportValue':
        return unresolved(`Fn::ImportValue ${JSON.stringify(r(arg))}`);
      case 'Fn::Base64':
        return Buffer.from(str(r(arg))).toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(r(arg));
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
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, env, depth + 1);
    if (resolved !== NO_VALUE) defineOwn(out, key, resolved);
  }
  return out;
}

/** DefinitionSubstitutions: `${key}` in every string of a definition. */
export function applySubstitutions<T>(value: T, substitutions: Record<string, unknown>): T {
  if (Object.keys(substitutions).length === 0) return value;
  const replace = (text: string) =>
    text.replace(/\$\{([^}]+)\}/g, (whole, key: string) =>
      Object.hasOwn(substitutions, key) ? str(substitutions[key]) : whole,
    );
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replace(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [replace(k), walk(item)]));
    return v;
  };
  return walk(value) as T;
}

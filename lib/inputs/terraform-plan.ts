// A `terraform show -json` document (a plan, or the state) as resource instances with their known values, what is
// unknown until apply, and the links between them that the configuration's references give when values are unknown.
// Format: https://developer.hashicorp.com/terraform/internals/json-format
import { InputError } from '../model/errors';
import { isRecord, textOf } from '../model/json';
import type { JsonPath } from '../cfn/load';

export interface TerraformInstance {
  /** Full address: module.sfn["a"].aws_iam_role.sfn[0]. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** The module instances it sits in, as an address prefix ("module.sfn." or ""). */
  modulePrefix: string;
  /** The module names it sits in, without instance keys (configuration is per module, not per instance). */
  moduleNames: string[];
  index?: string;
  values: Record<string, unknown>;
  /** `after_unknown`: true where a value is known only after apply, mirroring the values' nesting. */
  unknown: unknown;
  /** Where the values are in the document, for line numbers. */
  path: JsonPath;
}

/** A reference (`aws_iam_role.sfn.arn`) followed to the instance it names and the attribute read from it. */
export interface TerraformLink {
  instance: TerraformInstance;
  attribute?: string;
}

/** Modules nest at most this deep, and references through module variables are followed at most this far. */
const MAX_DEPTH = 32;

/** A plan (planned_values or resource_changes) or a state (values), both with a format_version. */
export function isTerraformPlan(value: unknown): boolean {
  if (!isRecord(value) || typeof value.format_version !== 'string') return false;
  return (
    isRecord(value.planned_values) ||
    Array.isArray(value.resource_changes) ||
    (typeof value.terraform_version === 'string' && isRecord(value.values) && isRecord(value.values.root_module))
  );
}

export class TerraformPlan {
  readonly instances = new Map<string, TerraformInstance>();
  private readonly configResources = new Map<string, Record<string, unknown>>();
  private readonly moduleCalls = new Map<string, Record<string, unknown>>();
  readonly providerRegion: string | undefined;

  constructor(
    readonly file: string,
    readonly document: Record<string, unknown>,
  ) {
    const major = document.format_version;
    if (typeof major !== 'string' || !major.startsWith('1.'))
      throw new InputError(file, `unsupported Terraform JSON format_version "${textOf(major)}"; expected 1.x`, {
        path: 'format_version',
      });
    const prior = isRecord(document.prior_state) ? document.prior_state.values : undefined;
    // Later sources win: what exists, then what the plan makes of it, then the change with its unknowns.
    this.readModule(prior, ['prior_state', 'values']);
    this.readModule(document.values, ['values']);
    this.readModule(document.planned_values, ['planned_values']);
    this.readChanges(document.resource_changes);
    const configuration = isRecord(document.configuration) ? document.configuration : {};
    this.readConfiguration(configuration.root_module, [], 0);
    const aws = isRecord(configuration.provider_config) ? configuration.provider_config.aws : undefined;
    const region = isRecord(aws) && isRecord(aws.expressions) ? aws.expressions.region : undefined;
    this.providerRegion = constantOrVariable(region, document.variables);
  }

  /** Instances of one resource type, in document order. */
  ofType(type: string, mode: 'managed' | 'data' = 'managed'): TerraformInstance[] {
    return [...this.instances.values()].filter((i) => i.type === type && i.mode === mode);
  }

  /** The value at `path` under the instance's values: known, unknown until apply, or absent. */
  read(instance: TerraformInstance, ...path: Array<string | number>): Read {
    let value: unknown = instance.values;
    let unknown: unknown = instance.unknown;
    for (const segment of path) {
      if (unknown === true) return { unknown: true };
      unknown = step(unknown, segment);
      value = step(value, segment);
    }
    if (unknown === true) return { unknown: true };
    return value === undefined || value === null ? { absent: true } : { value, unknownInside: unknown };
  }

  /**
   * The instances an attribute's configuration expression refers to, for values not known before apply.
   * `path` goes through blocks as the values do (encryption_configuration, 0, kms_key_id).
   */
  links(instance: TerraformInstance, ...path: Array<string | number>): TerraformLink[] {
    const expression = this.expression(instance, path);
    return this.follow(expression, instance.modulePrefix, instance.moduleNames, instance.index, 0);
  }

  /** Whether the configuration sets the attribute (a computed attribute it does not set is not a gap). */
  configures(instance: TerraformInstance, ...path: Array<string | number>): boolean {
    return this.expression(instance, path) !== undefined;
  }

  private expression(instance: TerraformInstance, path: Array<string | number>): unknown {
    const config = this.configResources.get(
      configKey(instance.moduleNames, instance.mode, instance.type, instance.name),
    );
    let expression: unknown = isRecord(config) ? config.expressions : undefined;
    // A block written once in the configuration may stand for several in the values (dynamic blocks): use the first.
    for (const segment of path)
      expression = Array.isArray(expression)
        ? (expression[Number(segment)] ?? expression[0])
        : step(expression, segment);
    return expression;
  }

  private follow(
    expression: unknown,
    prefix: string,
    moduleNames: string[],
    index: string | undefined,
    depth: number,
  ): TerraformLink[] {
    const references = isRecord(expression) && Array.isArray(expression.references) ? expression.references : [];
    const links: TerraformLink[] = [];
    for (const reference of references) {
      if (typeof reference !== 'string') continue;
      const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(reference);
      if (variable && moduleNames.length > 0 && depth < MAX_DEPTH) {
        // A module input: follow the expression the calling module passes.
        const call = this.moduleCalls.get(moduleNames.join('.'));
        const passed =
          isRecord(call) && isRecord(call.expressions) ? call.expressions[variable[1] as string] : undefined;
        const parentPrefix = parentModulePrefix(prefix);
        links.push(...this.follow(passed, parentPrefix, moduleNames.slice(0, -1), undefined, depth + 1));
        continue;
      }
      const match = /^((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)(\[[^\]]+\])?(?:\.([A-Za-z0-9_]+))?/.exec(reference);
      if (!match) continue;
      const [, resource = '', indexPart, attribute] = match;
      const target = this.instanceAt(`${prefix}${resource}`, indexPart, index);
      if (target && !links.some((l) => l.instance === target))
        links.push({ instance: target, ...(attribute !== undefined ? { attribute } : {}) });
    }
    return links;
  }

  /** `aws_iam_role.sfn`: its one instance, the one at the given index, or the one matching the referrer's index. */
  private instanceAt(base: string, indexPart: string | undefined, referrerIndex: string | undefined) {
    if (indexPart !== undefined) return this.instances.get(`${base}${indexPart}`);
    const exact = this.instances.get(base);
    if (exact) return exact;
    if (referrerIndex !== undefined) {
      const same = this.instances.get(`${base}[${referrerIndex}]`);
      if (same) return same;
    }
    const indexed = [...this.instances.keys()].filter((a) => a.startsWith(`${base}[`));
    return indexed.length === 1 ? this.instances.get(indexed[0] as string) : undefined;
  }

  private readModule(module: unknown, path: JsonPath): void {
    const walk = (node: unknown, at: JsonPath, depth: number) => {
      if (!isRecord(node) || depth > MAX_DEPTH) return;
      const resources = Array.isArray(node.resources) ? node.resources : [];
      resources.forEach((resource, i) => {
        if (!isRecord(resource) || !isRecord(resource.values)) return;
        this.add(resource, resource.values, undefined, [...at, 'resources', i, 'values']);
      });
      const children = Array.isArray(node.child_modules) ? node.child_modules : [];
      children.forEach((child, i) => walk(child, [...at, 'child_modules', i], depth + 1));
    };
    if (isRecord(module)) walk(module.root_module, [...path, 'root_module'], 0);
  }

  private readChanges(changes: unknown): void {
    if (!Array.isArray(changes)) return;
    changes.forEach((entry, i) => {
      if (!isRecord(entry) || !isRecord(entry.change) || typeof entry.address !== 'string') return;
      const actions = Array.isArray(entry.change.actions) ? entry.change.actions : [];
      if (actions.length === 1 && actions[0] === 'delete') {
        this.instances.delete(entry.address);
        return;
      }
      const after = isRecord(entry.change.after) ? entry.change.after : {};
      this.add(entry, after, entry.change.after_unknown, ['resource_changes', i, 'change', 'after']);
    });
  }

  private add(resource: Record<string, unknown>, values: Record<string, unknown>, unknown: unknown, path: JsonPath) {
    const { address, type, name } = resource;
    if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') return;
    const parsed = parseAddress(address);
    if (!parsed) return;
    const instance: TerraformInstance = {
      address,
      mode: resource.mode === 'data' ? 'data' : 'managed',
      type,
      name,
      modulePrefix: parsed.modulePrefix,
      moduleNames: parsed.moduleNames,
      values,
      unknown,
      path,
    };
    if (parsed.index !== undefined) instance.index = parsed.index;
    this.instances.set(address, instance);
  }

  private readConfiguration(module: unknown, names: string[], depth: number): void {
    if (!isRecord(module) || depth > MAX_DEPTH) return;
    const resources = Array.isArray(module.resources) ? module.resources : [];
    for (const resource of resources) {
      if (!isRecord(resource) || typeof resource.type !== 'string' || typeof resource.name !== 'string') continue;
      const mode = resource.mode === 'data' ? 'data' : 'managed';
      this.configResources.set(configKey(names, mode, resource.type, resource.name), resource);
    }
    const calls = isRecord(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) {
      if (!isRecord(call)) continue;
      this.moduleCalls.set([...names, name].join('.'), call);
      this.readConfiguration(call.module, [...names, name], depth + 1);
    }
  }
}

export type Read = { value: unknown; unknownInside: unknown } | { unknown: true } | { absent: true };

/** A provider argument's constant, or the value of the root variable it names (`region = var.region`). */
function constantOrVariable(expression: unknown, variables: unknown): string | undefined {
  if (!isRecord(expression)) return undefined;
  if (typeof expression.constant_value === 'string') return expression.constant_value;
  const references = Array.isArray(expression.references) ? expression.references : [];
  const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(textOf(references[0]))?.[1];
  const entry =
    variable !== undefined && isRecord(variables) && Object.hasOwn(variables, variable)
      ? variables[variable]
      : undefined;
  return isRecord(entry) && typeof entry.value === 'string' ? entry.value : undefined;
}

function step(node: unknown, segment: string | number): unknown {
  if (Array.isArray(node) && typeof segment === 'number') return node[segment];
  if (isRecord(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) return node[segment];
  return undefined;
}

const configKey = (names: string[], mode: string, type: string, name: string) =>
  `${names.join('.')}|${mode === 'data' ? 'data.' : ''}${type}.${name}`;

/** module.a["k"].module.b[0].aws_x.y[2] → the module prefix, the module names and the resource's index key. */
function parseAddress(address: string): { modulePrefix: string; moduleNames: string[]; index?: string } | undefined {
  const moduleNames: string[] = [];
  let rest = address;
  let prefix = '';
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const module = /^module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\./.exec(rest);
    if (!module) break;
    moduleNames.push(module[1] as string);
    prefix += module[0];
    rest = rest.slice(module[0].length);
  }
  const resource = /^(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\[((?:"(?:[^"\\]|\\.)*"|\d+))\])?$/.exec(rest);
  if (!resource) return undefined;
  return resource[1] === undefined
    ? { modulePrefix: prefix, moduleNames }
    : { modulePrefix: prefix, moduleNames, index: resource[1] };
}

const isNameChar = (c: string | undefined) =>
  c !== undefined &&
  ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_' || c === '-');

/**
 * The calling module's address prefix: "module.a.module.b[0]." gives "module.a.", as
 * `prefix.replace(/module\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.$/, '')` does, in linear time.
 */
export function parentModulePrefix(prefix: string): string {
  const n = prefix.length;
  if (prefix[n - 1] !== '.') return prefix;
  // The module's name ends at `nameEnd` (exclusive); "module." must end where its run of name characters starts.
  const callAt = (nameEnd: number): number | undefined => {
    let start = nameEnd;
    while (isNameChar(prefix[start - 1])) start--;
    return start < nameEnd && start >= 7 && prefix.startsWith('module.', start - 7) ? start - 7 : undefined;
  };
  if (prefix[n - 2] !== ']') {
    const at = callAt(n - 1);
    return at === undefined ? prefix : prefix.slice(0, at);
  }
  // An index "[…]" holds no "]": its "[" is one after the "]" before, and the leftmost that works wins.
  for (let open = prefix.indexOf('[', prefix.lastIndexOf(']', n - 3) + 1); open >= 0 && open < n - 2;) {
    const at = callAt(open);
    if (at !== undefined) return prefix.slice(0, at);
    open = prefix.indexOf('[', open + 1);
  }
  return prefix;
}

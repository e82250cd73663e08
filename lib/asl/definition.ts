// The Amazon States Language model: parse a definition and walk every state at any depth.
import { messageOf } from '../model/errors';
import { isRecord } from '../model/json';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A definition that cannot be read; `path` is a JSONPath into the definition ("$.States.Map"). */
export class DefinitionError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'DefinitionError';
  }
}

export type JsonObject = Record<string, unknown>;

export interface StateNode {
  name: string;
  /** JSONPath of the state object inside the definition. */
  path: string;
  type: string;
  queryLanguage: QueryLanguage;
  body: JsonObject;
  /** The innermost Distributed Map whose child workflow holds this state, if any. */
  distributedParent?: string;
}

export interface Definition {
  body: JsonObject;
  queryLanguage: QueryLanguage;
  /** Every state, depth first, in document order. */
  states: StateNode[];
}

/** Deeper nesting than this is refused: real workflows stay far below it and recursion must stay bounded. */
export const MAX_NESTING = 150;

export function isObject(value: unknown): value is JsonObject {
  return isRecord(value);
}

function childPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function readQueryLanguage(value: unknown, path: string, inherited: QueryLanguage): QueryLanguage {
  if (value === undefined) return inherited;
  if (value === 'JSONPath' || value === 'JSONata') return value;
  throw new DefinitionError(`${path}.QueryLanguage`, `expected "JSONPath" or "JSONata", got ${JSON.stringify(value)}`);
}

/** Parse a definition given as an object or as JSON text. */
export function parseDefinition(input: unknown): Definition {
  let body: unknown = input;
  if (typeof input === 'string') {
    try {
      body = JSON.parse(input);
    } catch (error) {
      throw new DefinitionError('$', `definition is not valid JSON (${messageOf(error)})`);
    }
  }
  if (!isObject(body)) throw new DefinitionError('$', 'expected the definition to be a JSON object');
  const queryLanguage = readQueryLanguage(body.QueryLanguage, '$', 'JSONPath');
  const states: StateNode[] = [];
  walkMachine(body, '$', queryLanguage, undefined, states, 0);
  return { body, queryLanguage, states };
}

function walkMachine(
  machine: JsonObject,
  path: string,
  queryLanguage: QueryLanguage,
  distributedParent: string | undefined,
  out: StateNode[],
  depth: number,
): void {
  if (depth > MAX_NESTING) throw new DefinitionError(path, `states are nested more than ${MAX_NESTING} levels deep`);
  if (typeof machine.StartAt !== 'string')
    throw new DefinitionError(`${path}.StartAt`, 'expected a state name (string)');
  const states = machine.States;
  if (!isObject(states)) throw new DefinitionError(`${path}.States`, 'expected an object of states');
  if (!Object.hasOwn(states, machine.StartAt)) {
    throw new DefinitionError(`${path}.StartAt`, `names "${machine.StartAt}", which is not in States`);
  }
  for (const [name, state] of Object.entries(states)) {
    const statePath = childPath(`${path}.States`, name);
    if (!isObject(state)) throw new DefinitionError(statePath, 'expected a state object');
    if (typeof state.Type !== 'string')
      throw new DefinitionError(`${statePath}.Type`, 'expected a state type (string)');
    const stateLanguage = readQueryLanguage(state.QueryLanguage, statePath, queryLanguage);
    const node: StateNode = { name, path: statePath, type: state.Type, queryLanguage: stateLanguage, body: state };
    if (distributedParent !== undefined) node.distributedParent = distributedParent;
    out.push(node);
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches))
        throw new DefinitionError(`${statePath}.Branches`, 'expected an array of branches');
      state.Branches.forEach((branch, index) => {
        const branchPath = `${statePath}.Branches[${index}]`;
        if (!isObject(branch)) throw new DefinitionError(branchPath, 'expected a branch object');
        walkMachine(branch, branchPath, stateLanguage, distributedParent, out, depth + 1);
      });
    } else if (state.Type === 'Map') {
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
      const processor = state[field];
      if (!isObject(processor))
        throw new DefinitionError(`${statePath}.ItemProcessor`, 'expected an ItemProcessor object');
      const childParent = isDistributedMap(state) ? statePath : distributedParent;
      walkMachine(processor, `${statePath}.${field}`, stateLanguage, childParent, out, depth + 1);
    }
  }
}

export function isDistributedMap(state: JsonObject): boolean {
  if (state.Type !== 'Map') return false;
  const processor = state.ItemProcessor;
  return isObject(processor) && isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
}

/** A field value as written: known now, or computed at run time from a path or an expression. */
export type FieldValue = { kind: 'static'; value: unknown } | { kind: 'runtime'; expression: string; field: string };

const JSONATA = /^\s*\{%[\s\S]*%\}\s*$/;

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && JSONATA.test(value);
}

/**
 * Read `key` of a Parameters/Arguments-like object in either query language:
 * JSONPath `Key.$`, or a JSONata `{% … %}` string. A whole-object JSONata expression makes every key runtime.
 */
export function readField(container: unknown, key: string): FieldValue | undefined {
  if (isJsonataExpression(container)) return { kind: 'runtime', expression: container, field: key };
  if (!isObject(container)) return undefined;
  const pathValue = container[`${key}.$`];
  if (typeof pathValue === 'string') return { kind: 'runtime', expression: pathValue, field: `${key}.$` };
  if (!Object.hasOwn(container, key)) return undefined;
  const value = container[key];
  if (isJsonataExpression(value)) return { kind: 'runtime', expression: value, field: key };
  return { kind: 'static', value };
}

/** The Parameters (JSONPath) or Arguments (JSONata) block of an object, with its field name. */
export function argumentsOf(
  holder: JsonObject,
  queryLanguage: QueryLanguage,
): { field: string; value: unknown } | undefined {
  const preferred = queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  for (const field of [preferred, preferred === 'Arguments' ? 'Parameters' : 'Arguments']) {
    if (holder[field] !== undefined) return { field, value: holder[field] };
  }
  return undefined;
}

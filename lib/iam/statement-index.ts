// The statements of one policy layer, compiled and indexed: by the service of their actions, and in large
// lists by the literal start of their resource patterns.
import type { CompiledCondition } from './conditions';
import type { Statement } from './policy';
import { PrefixIndex } from './prefix-index';

export interface CompiledStatement {
  statement: Statement;
  /** Position across the whole set, to list matched statements in document order. */
  order: number;
  actionPatterns: string[];
  actionNegated: boolean;
  resourcePatterns: string[];
  resourceNegated: boolean;
  resourceVariables: boolean;
  /** Whether its policy's Version honours policy variables (2012-10-17); conditions are compiled accordingly. */
  variablesHonoured: boolean;
  /** The resource patterns by literal start, for statements that list many (see evaluate.ts). */
  patternIndex?: PrefixIndex<string>;
  conditions: CompiledCondition[];
}

/**
 * What decides a statement's evaluation: statements with the same signature apply to the same requests. Actions
 * are compared as IAM does, without case; policy variables count only where the policy's Version honours them.
 */
export function statementSignature(statement: Statement, variablesHonoured: boolean): string {
  return JSON.stringify([
    statement.effect,
    (statement.action ?? statement.notAction ?? []).map((a) => a.toLowerCase()),
    statement.notAction !== undefined,
    statement.resource ?? statement.notResource ?? [],
    statement.notResource !== undefined,
    variablesHonoured,
    statement.condition ?? null,
  ]);
}

/** Statements of one layer indexed by the service prefix of their actions, and in large lists by resource. */
export class StatementIndex {
  private readonly byService = new Map<string, CompiledStatement[]>();
  private readonly anyService: CompiledStatement[] = [];
  private readonly merged = new Map<string, ServiceStatements>();

  constructor(readonly statements: CompiledStatement[]) {
    // A policy written statement by statement per state machine repeats statements: each is decided once, and
    // an evaluation names the first of identical statements (the others would say nothing more).
    const signatures = new Set<string>();
    for (const compiled of statements) {
      const signature = statementSignature(compiled.statement, compiled.variablesHonoured);
      if (signatures.has(signature)) continue;
      signatures.add(signature);
      const services = compiled.actionNegated ? undefined : serviceKeys(compiled.actionPatterns);
      if (services === undefined) this.anyService.push(compiled);
      else for (const service of services) this.listFor(service).push(compiled);
    }
  }

  private listFor(service: string): CompiledStatement[] {
    let list = this.byService.get(service);
    if (!list) this.byService.set(service, (list = []));
    return list;
  }

  /** The distinct statements that could apply to a request on `resource`, in document order. */
  candidates(service: string, resource: string): CompiledStatement[] {
    let entry = this.merged.get(service);
    if (!entry) {
      const list = [...(this.byService.get(service) ?? []), ...this.anyService].sort((a, b) => a.order - b.order);
      entry = serviceStatements(list);
      this.merged.set(service, entry);
    }
    if (!entry.byResource) return entry.list;
    // A role shared by many state machines holds many statements per service: match only those whose resource
    // patterns could match, instead of every statement for every request.
    const found = [...entry.byResource.always, ...entry.byResource.index.candidates(resource)];
    return [...new Set(found)].sort((a, b) => a.order - b.order);
  }
}

/** Below this many statements, matching them all costs less than narrowing them. */
const RESOURCE_INDEX_FROM = 32;

interface ServiceStatements {
  list: CompiledStatement[];
  byResource?: { index: PrefixIndex<CompiledStatement>; always: CompiledStatement[] };
}

function serviceStatements(list: CompiledStatement[]): ServiceStatements {
  if (list.length < RESOURCE_INDEX_FROM) return { list };
  const index = new PrefixIndex<CompiledStatement>();
  const always: CompiledStatement[] = [];
  for (const compiled of list) {
    // NotResource matches what its patterns do not, and variables are only known per request: never narrowed.
    if (compiled.resourceNegated || compiled.resourceVariables) always.push(compiled);
    else for (const pattern of compiled.resourcePatterns) index.add(pattern, compiled);
  }
  return { list, byResource: { index, always } };
}

/** Service prefixes a set of action patterns can reach, or undefined when a pattern reaches any service. */
function serviceKeys(patterns: string[]): string[] | undefined {
  const keys = new Set<string>();
  for (const pattern of patterns) {
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    if (colon < 0 || service.includes('*') || service.includes('?')) return undefined;
    keys.add(service.toLowerCase());
  }
  return [...keys];
}

// The evaluator: identity policies, an optional permissions boundary and SCP levels, per AWS's evaluation logic.
import { compileCondition, type CompiledCondition, type Truth } from './conditions';
import { unknownKeyTest, variableKeys, type MissingKeys, type UnknownKeyTest } from './knowledge';
import { actionMatches, arnMatches, substituteVariables, UNRESOLVED, type RequestContext } from './match';
import type { Policy, PolicyProblem, Statement } from './policy';
import { PrefixIndex } from './prefix-index';
import { StatementIndex, type CompiledStatement } from './statement-index';

/** 'unknown': the outcome depends on context keys dmap-guard cannot know (see Evaluation.unknown). */
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'unknown';
/** 'resource': a key or bucket policy (lib/checks/resource-access.ts). */
export type Layer = 'identity' | 'boundary' | 'scp' | 'resource';

export interface AccessRequest {
  action: string;
  resource: string;
  /** Context keys (any case) and their values. */
  context?: Readonly<Record<string, readonly string[]>>;
  /** Keys the context does not carry: absent (AWS sends none) or unknown. Default: every one is unknown. */
  missingKeys?: MissingKeys;
}

export interface MatchedStatement {
  layer: Layer;
  policyId: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  statement: Record<string, unknown>;
}

/** A statement that matches the action and resource but whose condition or variables cannot be decided. */
export interface UnknownStatement extends MatchedStatement {
  /** The condition keys and policy variables it could not decide, as written in the policy. */
  keys: string[];
}

export interface Evaluation {
  decision: Decision;
  /** The statements that decided: the denies for explicitDeny, the allows for allowed, none for implicitDeny. */
  matched: MatchedStatement[];
  /** The layer that blocked an implicitDeny or held the explicit deny. */
  blockedBy?: Layer;
  /** SCP level (0 = root) that had no allow, for an SCP implicit deny. */
  scpLevel?: number;
  /** Context keys that statements matching the action and resource referenced but the request did not carry. */
  missingContextKeys: string[];
  /** For an unknown decision: the undecided statements the outcome depends on. */
  unknown?: UnknownStatement[];
  allowedByBoundary?: boolean;
  allowedByOrganizations?: boolean;
  /** Decided on every policy of the role (SimulatePrincipalPolicy), so parts dmap-guard could not read do not weaken it. */
  wholeRole?: boolean;
}

export interface PolicySetInput {
  identity: Policy[];
  boundary?: Policy;
  /** SCP documents per organization level, root first and the account last. */
  scps?: Policy[][];
}

export interface CompiledPolicySet {
  identity: StatementIndex;
  boundary?: StatementIndex;
  scps: StatementIndex[];
  problems: PolicyProblem[];
}

/** From this many resource patterns on, a statement's patterns are indexed by their literal start. */
const MANY_PATTERNS = 32;

function compileStatements(policies: Policy[], problems: PolicyProblem[]): CompiledStatement[] {
  const compiled: CompiledStatement[] = [];
  let order = 0;
  for (const policy of policies) {
    const variablesHonoured = policy.version === '2012-10-17';
    policy.statements.forEach((statement) => {
      const conditions: CompiledCondition[] = [];
      let valid = true;
      for (const [operator, keys] of Object.entries(statement.condition ?? {})) {
        for (const [key, values] of Object.entries(keys)) {
          const condition = compileCondition(operator, key, values, variablesHonoured);
          if (typeof condition === 'string') {
            problems.push({
              policyId: policy.id,
              path: `$.Statement[${statement.index}].Condition.${operator}`,
              message: condition,
            });
            valid = false;
          } else conditions.push(condition);
        }
      }
      // A statement with an operator IAM would reject grants nothing here (and would fail to save in IAM).
      if (!valid) return;
      const resourcePatterns = statement.resource ?? statement.notResource ?? [];
      const entry: CompiledStatement = {
        statement,
        order: order++,
        actionPatterns: (statement.action ?? statement.notAction ?? []).map((a) => a.toLowerCase()),
        actionNegated: statement.notAction !== undefined,
        resourcePatterns,
        resourceNegated: statement.notResource !== undefined,
        resourceVariables: variablesHonoured && resourcePatterns.some((r) => r.includes('${')),
        variablesHonoured,
        conditions,
      };
      // A statement listing many resources (a least-privilege policy of many machines) is searched, not scanned.
      if (resourcePatterns.length >= MANY_PATTERNS && !entry.resourceVariables) {
        const patterns = new PrefixIndex<string>();
        for (const pattern of resourcePatterns) patterns.add(pattern, pattern);
        entry.patternIndex = patterns;
      }
      compiled.push(entry);
    });
  }
  return compiled;
}

export function compilePolicySet(input: PolicySetInput): CompiledPolicySet {
  const problems: PolicyProblem[] = [];
  const set: CompiledPolicySet = {
    identity: new StatementIndex(compileStatements(input.identity, problems)),
    scps: (input.scps ?? []).map((level) => new StatementIndex(compileStatements(level, problems))),
    problems,
  };
  if (input.boundary) set.boundary = new StatementIndex(compileStatements([input.boundary], problems));
  return set;
}

export function toRequestContext(context: Readonly<Record<string, readonly string[]>> | undefined): RequestContext {
  const map: RequestContext = new Map();
  for (const [key, values] of Object.entries(context ?? {})) map.set(key.toLowerCase(), values);
  return map;
}

function actionHits(compiled: CompiledStatement, action: string): boolean {
  const hit = compiled.actionPatterns.some((pattern) => actionMatches(pattern, action));
  return compiled.actionNegated ? !hit : hit;
}

function resourceHits(
  compiled: CompiledStatement,
  resource: string,
  context: RequestContext,
  isUnknown: UnknownKeyTest,
  undecided: string[],
): Truth {
  let hit: Truth = false;
  for (const raw of compiled.patternIndex?.candidates(resource) ?? compiled.resourcePatterns) {
    if (compiled.resourceVariables) {
      // A pattern whose variable is unknown may match, even where a default would stand in for an absent value.
      const unknownKeys = variableKeys(raw).filter((k) => !context.has(k.toLowerCase()) && isUnknown(k.toLowerCase()));
      if (unknownKeys.length > 0) {
        hit = 'unknown';
        undecided.push(...unknownKeys);
        continue;
      }
    }
    const pattern = compiled.resourceVariables ? substituteVariables(raw, context) : raw;
    // A pattern whose variable has no value matches nothing.
    if (pattern === UNRESOLVED) continue;
    if (arnMatches(pattern, resource)) {
      hit = true;
      break;
    }
  }
  return compiled.resourceNegated ? not(hit) : hit;
}

function not(truth: Truth): Truth {
  return truth === 'unknown' ? truth : !truth;
}

/**
 * Does this statement apply to the request (action, resource and every condition)? 'unknown' when it can only
 * be decided with the value of a key that is unknown; those keys are pushed to `undecided`.
 */
function statementApplies(
  compiled: CompiledStatement,
  request: { action: string; resource: string; context: RequestContext; isUnknown: UnknownKeyTest },
  missing: Set<string>,
  undecided: string[],
): Truth {
  const { context, isUnknown } = request;
  if (!actionHits(compiled, request.action)) return false;
  const resource = resourceHits(compiled, request.resource, context, isUnknown, undecided);
  if (resource === false) return false;
  for (const condition of compiled.conditions) if (!context.has(condition.lookup)) missing.add(condition.key);
  let truth: Truth = resource;
  for (const condition of compiled.conditions) {
    const outcome = condition.test(context, isUnknown);
    if (outcome === false) return false;
    if (outcome === 'unknown') {
      truth = 'unknown';
      if (!context.has(condition.lookup) && isUnknown(condition.lookup)) undecided.push(condition.key);
      for (const k of condition.variables)
        if (!context.has(k.toLowerCase()) && isUnknown(k.toLowerCase())) undecided.push(k);
    }
  }
  return truth;
}

interface Undecided {
  compiled: CompiledStatement;
  keys: string[];
}

interface LayerResult {
  allows: CompiledStatement[];
  denies: CompiledStatement[];
  unknownAllows: Undecided[];
  unknownDenies: Undecided[];
}

function evaluateLayer(
  index: StatementIndex,
  service: string,
  request: { action: string; resource: string; context: RequestContext; isUnknown: UnknownKeyTest },
  missing: Set<string>,
): LayerResult {
  const result: LayerResult = { allows: [], denies: [], unknownAllows: [], unknownDenies: [] };
  // Scratch list of the keys a statement could not decide, copied only for undecided statements.
  const undecided: string[] = [];
  for (const compiled of index.candidates(service, request.resource)) {
    undecided.length = 0;
    const applies = statementApplies(compiled, request, missing, undecided);
    const deny = compiled.statement.effect === 'Deny';
    if (applies === true) (deny ? result.denies : result.allows).push(compiled);
    else if (applies === 'unknown')
      (deny ? result.unknownDenies : result.unknownAllows).push({ compiled, keys: [...new Set(undecided)] });
  }
  return result;
}

/** A statement as an evaluation names it. */
export function matchedStatement(layer: Layer, statement: Statement): MatchedStatement {
  return {
    layer,
    policyId: statement.policyId,
    index: statement.index,
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
    effect: statement.effect,
    statement: statement.source,
  };
}

function matchedOf(layer: Layer, statements: CompiledStatement[]): MatchedStatement[] {
  return statements.map(({ statement }) => matchedStatement(layer, statement));
}

function unknownOf(layer: Layer, undecided: Undecided[]): UnknownStatement[] {
  return undecided.map(({ compiled, keys }) => ({
    ...(matchedOf(layer, [compiled])[0] as MatchedStatement),
    keys,
  }));
}

/** A layer that must allow: 'yes' with a statement that applies, 'maybe' with only undecided ones, else 'no'. */
function allowsIn(layer: LayerResult): 'yes' | 'maybe' | 'no' {
  return layer.allows.length > 0 ? 'yes' : layer.unknownAllows.length > 0 ? 'maybe' : 'no';
}

export function evaluate(set: CompiledPolicySet, request: AccessRequest): Evaluation {
  const context = toRequestContext(request.context);
  const colon = request.action.indexOf(':');
  const service = (colon < 0 ? request.action : request.action.slice(0, colon)).toLowerCase();
  const missing = new Set<string>();
  const input = {
    action: request.action,
    resource: request.resource,
    context,
    isUnknown: unknownKeyTest(request.missingKeys),
  };
  const identity = evaluateLayer(set.identity, service, input, missing);
  const boundary = set.boundary ? evaluateLayer(set.boundary, service, input, missing) : undefined;
  // Like the AWS simulator, keys only SCPs reference are not listed as missing.
  const scps = set.scps.map((level) => evaluateLayer(level, service, input, new Set()));
  const missingContextKeys = [...missing].sort();
  const details = {
    ...(boundary ? { allowedByBoundary: boundary.denies.length === 0 && boundary.allows.length > 0 } : {}),
    ...(scps.length > 0
      ? { allowedByOrganizations: scps.every((level) => level.denies.length === 0 && level.allows.length > 0) }
      : {}),
  };

  // An explicit Deny that applies decides, whatever is unknown.
  const denies: MatchedStatement[] = [
    ...scps.flatMap((level) => matchedOf('scp', level.denies)),
    ...matchedOf('boundary', boundary?.denies ?? []),
    ...matchedOf('identity', identity.denies),
  ];
  if (denies.length > 0) {
    return {
      decision: 'explicitDeny',
      matched: denies,
      blockedBy: (denies[0] as MatchedStatement).layer,
      missingContextKeys,
      ...details,
    };
  }
  // A layer with no allow, not even an undecided one, denies whatever the undecided Denies turn out to be.
  const scpGap = scps.findIndex((level) => allowsIn(level) === 'no');
  if (scpGap >= 0)
    return {
      decision: 'implicitDeny',
      matched: [],
      blockedBy: 'scp',
      scpLevel: scpGap,
      missingContextKeys,
      ...details,
    };
  if (allowsIn(identity) === 'no')
    return { decision: 'implicitDeny', matched: [], blockedBy: 'identity', missingContextKeys, ...details };
  if (boundary && allowsIn(boundary) === 'no')
    return { decision: 'implicitDeny', matched: [], blockedBy: 'boundary', missingContextKeys, ...details };

  // Every layer allows or may allow: undecided Denies, and the undecided Allows of layers that need them, decide.
  const layers: Array<[Layer, LayerResult | undefined]> = [
    ...scps.map((level): [Layer, LayerResult] => ['scp', level]),
    ['identity', identity],
    ['boundary', boundary],
  ];
  const unknown: UnknownStatement[] = [];
  for (const [layer, result] of layers) if (result) unknown.push(...unknownOf(layer, result.unknownDenies));
  for (const [layer, result] of layers)
    if (result && allowsIn(result) === 'maybe') unknown.push(...unknownOf(layer, result.unknownAllows));
  if (unknown.length > 0) return { decision: 'unknown', matched: [], unknown, missingContextKeys, ...details };
  return { decision: 'allowed', matched: matchedOf('identity', identity.allows), missingContextKeys, ...details };
}

// dmap-guard simulate-custom-policy: an offline counterpart of `aws iam simulate-custom-policy`.
import { readFileSync } from 'node:fs';
import {
  compilePolicySet,
  evaluate,
  parsePolicy,
  type AccessRequest,
  type CompiledPolicySet,
  type Evaluation,
  type Policy,
} from '../../iam';
import { ipInRange } from '../../iam/conditions';
import { arnPathAndName } from '../../model/arns';
import { messageOf } from '../../model/errors';
import { Option, type Command } from '@commander-js/extra-typings';
import { single, UsageError } from '../args';
import type { CliIO, CommandContext } from '../io';

function defineSimulate(program: Command) {
  return program
    .command('simulate-custom-policy')
    .description('evaluate IAM policies offline, as aws iam simulate-custom-policy does')
    .option('--policy-input-list <file://path|json...>', 'identity policy documents (JSON text or file://path)')
    .option('--action-names <service:Action...>', 'actions to evaluate')
    .option('--resource-arns <arn...>', 'resources to evaluate each action against (default *)')
    .option(
      '--context-entries <json...>',
      'JSON array (or objects) of {ContextKeyName, ContextKeyValues, ContextKeyType}, or file://path',
    )
    .option('--permissions-boundary-policy-input-list <file://path|json...>', 'a permissions boundary document')
    .addOption(
      new Option(
        '--caller-arn <arn>',
        'ARN of the simulated caller: sets aws:PrincipalArn (and aws:username for an IAM user) unless given as context',
      ).argParser(single),
    );
}

type SimulateOptions = ReturnType<ReturnType<typeof defineSimulate>['opts']>;

export function registerSimulate(program: Command, context: CommandContext): void {
  defineSimulate(program).action((options) => context.exit(runSimulateCustomPolicy(options, context.io)));
}

const CONTEXT_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
] as const;

function readInput(value: string, option: string): string {
  if (!value.startsWith('file://')) return value;
  const path = value.slice('file://'.length);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--${option}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`,
    );
  }
}

/** Parsed policies; `labels` learns each one's id → how the command line names it, for error messages. */
function loadPolicies(values: string[], option: string, idPrefix: string, labels: Map<string, string>): Policy[] {
  return values.map((value, index) => {
    const id = `${idPrefix}.${index + 1}`;
    const label = `--${option} item ${index + 1}${value.startsWith('file://') ? ` (${value.slice(7)})` : ''}`;
    labels.set(id, label);
    const { policy, problems } = parsePolicy(readInput(value, option), id);
    const first = problems[0];
    if (first) throw new UsageError(`${label}: MalformedPolicyDocument at ${first.path}: ${first.message}`);
    return policy;
  });
}

function validValue(type: string, value: string): boolean {
  const base = type.replace(/List$/, '');
  switch (base) {
    case 'numeric':
      return value.trim() !== '' && !Number.isNaN(Number(value));
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'ip':
      return ipInRange(value, value.includes(':') ? `${value}/128` : `${value}/32`);
    case 'date':
      return !Number.isNaN(Date.parse(value)) || /^\d+$/.test(value);
    case 'binary':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value);
    default:
      return true;
  }
}

function parseContextEntries(values: string[]): Record<string, string[]> {
  // Keyed by names from the command line: no prototype, so "__proto__" is a key like any other.
  const context: Record<string, string[]> = Object.create(null);
  const entries: unknown[] = [];
  for (const value of values) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readInput(value, 'context-entries'));
    } catch (error) {
      throw new UsageError(
        `--context-entries: expected JSON, got ${JSON.stringify(value.slice(0, 80))} (${messageOf(error)})`,
      );
    }
    entries.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  entries.forEach((entry, index) => {
    const where = `--context-entries item ${index + 1}`;
    if (typeof entry !== 'object' || entry === null)
      throw new UsageError(`${where}: expected an object with ContextKeyName, ContextKeyValues and ContextKeyType`);
    const {
      ContextKeyName: name,
      ContextKeyValues: rawValues,
      ContextKeyType: type,
    } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || name === '')
      throw new UsageError(`${where}: ContextKeyName must be a non-empty string`);
    if (typeof type !== 'string' || !(CONTEXT_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`${where} (${name}): ContextKeyType must be one of ${CONTEXT_TYPES.join(', ')}`);
    }
    if (!Array.isArray(rawValues) || rawValues.some((v) => typeof v !== 'string'))
      throw new UsageError(`${where} (${name}): ContextKeyValues must be an array of strings`);
    const keyValues = rawValues as string[];
    if (!type.endsWith('List') && keyValues.length > 1)
      throw new UsageError(`${where} (${name}): type ${type} takes one value; use ${type}List for several`);
    const invalid = keyValues.find((v) => !validValue(type, v));
    if (invalid !== undefined)
      throw new UsageError(`${where} (${name}): "${invalid}" is not a valid ${type.replace(/List$/, '')} value`);
    context[name] = keyValues;
  });
  return context;
}

/**
 * AWS evaluates a key the request does not carry as absent and lists it in MissingContextValues. So does this:
 * EvalDecision is the decision with unsupplied keys absent, which is also the decision whenever the outcome does
 * not depend on them; MissingContextValues adds the keys (and policy variables) the outcome does depend on.
 */
function simulate(set: CompiledPolicySet, request: AccessRequest): Evaluation {
  const asAws = evaluate(set, { ...request, missingKeys: 'absent' });
  const undecided = evaluate(set, { ...request, missingKeys: 'unknown' }).unknown ?? [];
  const keys = new Map(asAws.missingContextKeys.map((k) => [k.toLowerCase(), k]));
  for (const key of undecided.flatMap((s) => s.keys))
    if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
  return { ...asAws, missingContextKeys: [...keys.values()].sort() };
}

function resultEntry(action: string, resource: string, evaluation: Evaluation, hasBoundary: boolean) {
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: evaluation.decision,
    MatchedStatements: evaluation.matched.map((m) => ({
      SourcePolicyId: m.policyId,
      SourcePolicyType: m.layer === 'boundary' ? 'permission-boundary' : 'IAM Policy',
      StatementIndex: m.index,
      ...(m.sid !== undefined ? { Sid: m.sid } : {}),
      Statement: m.statement,
    })),
    MissingContextValues: evaluation.missingContextKeys,
    ...(hasBoundary
      ? { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: evaluation.allowedByBoundary ?? false } }
      : {}),
  };
}

function runSimulateCustomPolicy(args: SimulateOptions, io: CliIO): number {
  const policyInputs = args.policyInputList;
  if (!policyInputs) throw new UsageError('simulate-custom-policy: --policy-input-list is required');
  const actions = args.actionNames;
  if (!actions) throw new UsageError('simulate-custom-policy: --action-names is required');
  const badAction = actions.find((a) => !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a) || a.length < 3 || a.length > 128);
  if (badAction !== undefined) throw new UsageError(`--action-names: "${badAction}" is not service:Action`);
  const boundaryInputs = args.permissionsBoundaryPolicyInputList ?? [];
  if (boundaryInputs.length > 1) throw new UsageError('--permissions-boundary-policy-input-list takes one policy');
  const resources = args.resourceArns ?? ['*'];
  const badResource = resources.find((r) => r !== '*' && !/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+/.test(r));
  if (badResource !== undefined) throw new UsageError(`--resource-arns: "${badResource}" is not an ARN`);

  const context = parseContextEntries(args.contextEntries ?? []);
  const caller = args.callerArn;
  if (caller !== undefined) {
    if (!/^arn:[^:]+:iam::\d{12}:(user|role|group)\/.+/.test(caller))
      throw new UsageError(`--caller-arn: "${caller}" is not an IAM user, group or role ARN`);
    const lower = new Set(Object.keys(context).map((k) => k.toLowerCase()));
    if (!lower.has('aws:principalarn')) context['aws:PrincipalArn'] = [caller];
    const user = arnPathAndName(caller, ':user');
    if (user && !lower.has('aws:username')) context['aws:username'] = [user.name];
  }

  const labels = new Map<string, string>();
  const set = compilePolicySet({
    identity: loadPolicies(policyInputs, 'policy-input-list', 'PolicyInputList', labels),
    ...(boundaryInputs.length === 1
      ? {
          boundary: loadPolicies(
            boundaryInputs,
            'permissions-boundary-policy-input-list',
            'PermissionsBoundaryPolicyInputList',
            labels,
          )[0] as Policy,
        }
      : {}),
  });
  const firstProblem = set.problems[0];
  if (firstProblem)
    throw new UsageError(
      `${labels.get(firstProblem.policyId) ?? firstProblem.policyId}: MalformedPolicyDocument at ${firstProblem.path}: ${firstProblem.message}`,
    );

  const EvaluationResults = actions.flatMap((action) =>
    resources.map((resource) =>
      resultEntry(action, resource, simulate(set, { action, resource, context }), boundaryInputs.length === 1),
    ),
  );
  io.out(`${JSON.stringify({ EvaluationResults }, null, 2)}\n`);
  return 0;
}

// Over-broad grants, found by probing: for each need, requests just outside it (another state machine,
// another key, another bucket, a prefix outside the listed one, an action no state uses). A probe the
// role allows but the least-privilege policy of all its needs does not is a grant beyond least privilege.
import {
  arnMatches,
  compilePolicySet,
  evaluate,
  matchedStatement,
  parsePolicy,
  type AccessRequest,
  type MatchedStatement,
} from '../iam';
import { actionMatches } from '../iam/match';
import { OverlapIndex } from './overlap-index';
import type { RoleModel } from '../model/state-machine';
import { parseArn } from '../model/arns';
import { own } from '../model/json';
import type { Need } from '../needs/types';
import { leastPrivilegePolicy } from '../needs/policy';
import { sampleResource } from './requests';
import { checkDeadline } from './deadline';
import { compileRole } from './role';
import { statementSignature } from '../iam/statement-index';

export type ProbeKind =
  | 'wildcard-action'
  | 'other-state-machine'
  | 'other-execution'
  | 'other-bucket'
  | 'bucket-name-prefix'
  | 'whole-bucket'
  | 'list-without-prefix'
  | 'any-key'
  | 'other-function'
  | 'other-resource';

export interface Probe {
  kind: ProbeKind;
  request: AccessRequest;
  need: Need;
}

export interface OverBroadGrant {
  kind: ProbeKind;
  statement: MatchedStatement;
  probe: Probe;
}

const OTHER = 'dmap-guard-other';
/** Actions a Distributed Map never needs, by service: what a wildcard would hand out. */
const SENSITIVE_ACTIONS: Record<string, string[]> = {
  states: ['states:DeleteStateMachine', 'states:UpdateStateMachine'],
  s3: ['s3:DeleteObject', 's3:PutBucketPolicy', 's3:DeleteBucket'],
  kms: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ReEncryptFrom'],
  lambda: ['lambda:UpdateFunctionCode', 'lambda:DeleteFunction'],
  dynamodb: ['dynamodb:DeleteTable'],
  sqs: ['sqs:DeleteQueue', 'sqs:PurgeQueue'],
  sns: ['sns:DeleteTopic'],
  events: ['events:DeleteRule'],
  logs: ['logs:DeleteLogGroup'],
  firehose: ['firehose:DeleteDeliveryStream'],
  kinesis: ['kinesis:DeleteStream'],
};
const ANY_ACTION = 'DmapGuardAnyOtherAction';
/** The probe loops look at the clock every this many needs or probes (thousands of tasks make them long). */
const DEADLINE_STRIDE = 256;
/** How far a kind of probe reaches; for one statement and action only the broadest is reported. */
const REACH: Record<ProbeKind, number> = {
  'wildcard-action': 0,
  'list-without-prefix': 1,
  'whole-bucket': 2,
  'bucket-name-prefix': 3,
  'other-bucket': 4,
  'other-state-machine': 4,
  'other-execution': 4,
  'any-key': 4,
  'other-function': 4,
  'other-resource': 4,
};

export function sensitiveExample(service: string): string | undefined {
  return own(SENSITIVE_ACTIONS, service)?.[0];
}

function resourceProbes(need: Need, resource: string): Array<[ProbeKind, string, Record<string, string[]>?]> {
  const arn = parseArn(resource);
  if (!arn) return [];
  const prefix = `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:`;
  const probes: Array<[ProbeKind, string, Record<string, string[]>?]> = [];
  switch (arn.service) {
    case 'states':
      // Other names, and names that start like this one (stateMachine:etl* reaches etl-nightly too).
      if (arn.resource.startsWith('stateMachine:')) {
        const name = arn.resource.slice('stateMachine:'.length);
        probes.push(
          ['other-state-machine', `${prefix}stateMachine:${OTHER}`],
          ['other-state-machine', `${prefix}stateMachine:${sampleResource(name)}-${OTHER}`],
        );
      } else if (arn.resource.startsWith('execution:')) {
        const name = /^execution:([^:/]+)/.exec(arn.resource)?.[1] ?? OTHER;
        probes.push(
          ['other-execution', `${prefix}execution:${OTHER}:${OTHER}`],
          ['other-execution', `${prefix}execution:${sampleResource(name)}-${OTHER}:${OTHER}`],
          ['other-execution', `${prefix}execution:${sampleResource(name)}-${OTHER}/${OTHER}:${OTHER}`],
        );
      }
      break;
    case 's3': {
      const slash = arn.resource.indexOf('/');
      const bucket = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
      const key = slash < 0 ? undefined : arn.resource.slice(slash + 1);
      const objectPart = key === undefined ? '' : `/${sampleResource(key)}`;
      probes.push(
        ['other-bucket', `${prefix}${OTHER}-bucket${objectPart}`],
        ['bucket-name-prefix', `${prefix}${bucket}-${OTHER}${objectPart}`],
      );
      if (key !== undefined && key !== '*') probes.push(['whole-bucket', `${prefix}${bucket}/${OTHER}/object`]);
      if (key === undefined && need.context?.['s3:prefix'] !== undefined)
        probes.push(['list-without-prefix', resource, { 's3:prefix': [`${OTHER}/`] }]);
      break;
    }
    case 'kms':
      probes.push(['any-key', `${prefix}key/00000000-0000-4000-8000-00000000d0d0`]);
      break;
    // function:<name>* is how SAM's LambdaInvokePolicy and many samples cover versions and aliases: not probed.
    case 'lambda':
      probes.push(['other-function', `${prefix}function:${OTHER}`]);
      break;
    default: {
      const cut = Math.max(arn.resource.lastIndexOf('/'), arn.resource.lastIndexOf(':'));
      probes.push(['other-resource', `${prefix}${arn.resource.slice(0, cut + 1)}${OTHER}`]);
    }
  }
  return probes;
}

/** S3 object actions act on bucket/key ARNs, bucket actions on the bucket ARN. */
function s3ResourceFor(action: string, sample: string): string {
  const slash = sample.indexOf('/');
  if (/Object/.test(action)) return slash < 0 ? `${sample}/${OTHER}` : sample;
  return slash < 0 ? sample : sample.slice(0, slash);
}

/** Probes just outside every need (runtime needs have no fixed edge to probe). */
export function probesFor(needs: Need[], baseContext: Record<string, string[]>): Probe[] {
  const probes: Probe[] = [];
  const seen = new Set<string>();
  // The base context is the same for every probe: a probe is told apart by the need's own context and the extra.
  const contextKeys = new Map<Need['context'], string>();
  const add = (kind: ProbeKind, need: Need, action: string, resource: string, extra?: Record<string, string[]>) => {
    let contextText = contextKeys.get(need.context);
    if (contextText === undefined) contextKeys.set(need.context, (contextText = JSON.stringify(need.context ?? {})));
    const key = `${kind}|${action}|${resource}|${contextText}|${extra ? JSON.stringify(extra) : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    probes.push({ kind, need, request: { action, resource, context: { ...baseContext, ...need.context, ...extra } } });
  };
  for (const [index, need] of needs.entries()) {
    if (index % DEADLINE_STRIDE === 0) checkDeadline();
    if (need.runtime) continue;
    for (const resource of need.resources) {
      const service = need.actions[0]?.split(':')[0] ?? '';
      const sample = sampleResource(resource);
      for (const action of [...(own(SENSITIVE_ACTIONS, service) ?? []), `${service}:${ANY_ACTION}`]) {
        add('wildcard-action', need, action, service === 's3' ? s3ResourceFor(action, sample) : sample);
      }
      if (resource === '*') continue;
      for (const action of need.actions)
        for (const [kind, probe, extra] of resourceProbes(need, resource)) add(kind, need, action, probe, extra);
    }
  }
  return probes;
}

/** Grants of the role that reach beyond the needs, one per statement and kind. */
export function overBroadGrants(
  role: RoleModel,
  needs: Need[],
  baseContext: Record<string, string[]>,
): OverBroadGrant[] {
  if (needs.length === 0) return [];
  checkDeadline(); // before the least-privilege policy of all the role's needs, one long synchronous step
  const roleSet = compileRole(role).set;
  const alike = alikeStatements(role);
  const needed = compilePolicySet({ identity: [parsePolicy(leastPrivilegePolicy(needs), 'least-privilege').policy] });
  const grants = new Map<string, OverBroadGrant>();
  for (const [index, probe] of probesFor(needs, baseContext).entries()) {
    if (index % DEADLINE_STRIDE === 0) checkDeadline();
    const granted = evaluate(roleSet, probe.request);
    if (granted.decision !== 'allowed' || evaluate(needed, probe.request).decision === 'allowed') continue;
    for (const statement of granted.matched) {
      // Explicitly listed actions are judged statement by statement (unneededActions); here only what wildcards reach.
      if (probe.kind === 'wildcard-action' && !viaWildcard(statement, probe.request.action)) continue;
      const kind = probe.kind;
      // One finding per statement for its actions, and per statement and action for its resources: the broadest reach.
      const key =
        kind === 'wildcard-action'
          ? `${statement.policyId}|${statement.index}|${kind}`
          : `${statement.policyId}|${statement.index}|${probe.request.action}`;
      const existing = grants.get(key);
      if (!existing || REACH[kind] > REACH[existing.kind]) grants.set(key, { kind, statement, probe });
    }
  }
  // An evaluation names the first of identical statements; each of the others grants the same.
  return [...grants.values()].flatMap((grant) =>
    (alike.get(`${grant.statement.policyId}|${grant.statement.index}`) ?? [grant.statement]).map((statement) =>
      statement === grant.statement ? grant : { ...grant, statement },
    ),
  );
}

const alikeByRole = new WeakMap<RoleModel, Map<string, MatchedStatement[]>>();

/**
 * The role's repeated identity statements, by the first of them ("policyId|index"): it and the later identical
 * ones, in document order (statementSignature decides identity, as for the evaluator's own index).
 */
function alikeStatements(role: RoleModel): Map<string, MatchedStatement[]> {
  const known = alikeByRole.get(role);
  if (known) return known;
  const firsts = new Map<string, MatchedStatement>();
  const alike = new Map<string, MatchedStatement[]>();
  for (const policy of compileRole(role).identity)
    for (const statement of policy.statements) {
      const signature = statementSignature(statement, policy.version === '2012-10-17');
      const named = matchedStatement('identity', statement);
      const first = firsts.get(signature);
      if (!first) {
        firsts.set(signature, named);
        continue;
      }
      const key = `${first.policyId}|${first.index}`;
      const list = alike.get(key);
      if (list) list.push(named);
      else alike.set(key, [first, named]);
    }
  alikeByRole.set(role, alike);
  return alike;
}

/**
 * What a statement lists by name beyond the needs, in services the needs touch: actions no need uses, and
 * needed actions on resources that overlap no need of that action. AWS managed policies are left out
 * (they cannot be edited; their wildcards are still judged), and so are services of integrations
 * dmap-guard does not model.
 */
export function unneededGrants(
  role: RoleModel,
  needs: Need[],
  unmodeledServices: Set<string>,
): Array<{
  statement: MatchedStatement;
  actions: string[];
  elsewhere: Array<{ action: string; resources: string[] }>;
}> {
  const needResources = new Map<string, string[]>();
  for (const [index, need] of needs.entries()) {
    if (index % DEADLINE_STRIDE === 0) checkDeadline();
    for (const action of need.actions) {
      // Appended in place: copying the list per need made 8,000 tasks of one action quadratic.
      const list = needResources.get(action.toLowerCase());
      if (list) list.push(...need.resources);
      else needResources.set(action.toLowerCase(), [...need.resources]);
    }
  }
  const services = new Set([...needResources.keys()].map((a) => a.split(':')[0]));
  const overlapIndexes = new Map<string, OverlapIndex<string>>();
  const overlaps = (pattern: string, action: string) => {
    let index = overlapIndexes.get(action);
    if (!index)
      overlapIndexes.set(action, (index = new OverlapIndex((needResources.get(action) ?? []).map((r) => [r, r]))));
    return index.overlaps(pattern);
  };
  const result: Array<{
    statement: MatchedStatement;
    actions: string[];
    elsewhere: Array<{ action: string; resources: string[] }>;
  }> = [];
  const { identity } = compileRole(role);
  for (const [index, source] of role.identityPolicies.entries()) {
    if (source.fixedActions) continue;
    for (const statement of identity[index]?.statements ?? []) {
      if (statement.effect !== 'Allow' || !statement.action || !statement.resource) continue;
      const named = statement.action.filter((a) => {
        const service = a.split(':')[0]?.toLowerCase() ?? '';
        return !/[*?]/.test(a) && services.has(service) && !unmodeledServices.has(service);
      });
      const actions = named.filter((a) => !needResources.has(a.toLowerCase()));
      const elsewhere = named
        .filter((a) => needResources.has(a.toLowerCase()))
        .map((action) => ({
          action,
          resources: (statement.resource ?? []).filter(
            (r) => appliesTo(action, r) && !overlaps(r, action.toLowerCase()),
          ),
        }))
        .filter((e) => e.resources.length > 0);
      if (actions.length === 0 && elsewhere.length === 0) continue;
      result.push({
        statement: {
          layer: 'identity',
          policyId: source.id,
          index: statement.index,
          ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
          effect: 'Allow',
          statement: statement.source,
        },
        actions,
        elsewhere,
      });
    }
  }
  return result;
}

/** S3 bucket actions on object ARNs and object actions on bucket ARNs authorise nothing: not a grant to judge. */
function appliesTo(action: string, resource: string): boolean {
  const arn = parseArn(resource);
  if (!arn || arn.service !== 's3' || arn.resource === '*') return true;
  const objectArn = arn.resource.includes('/');
  const objectAction = /Object|MultipartUpload(?!s)/.test(action);
  return objectArn === objectAction;
}

function listOf(value: unknown): string[] {
  return typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];
}

/** The action pattern of a statement that grants `action` (the NotAction statement itself counts as a wildcard). */
export function grantingPattern(statement: MatchedStatement, action: string): string {
  const actions = listOf(statement.statement.Action);
  if (actions.length === 0) return `NotAction ${JSON.stringify(statement.statement.NotAction)}`;
  return actions.find((pattern) => actionMatches(pattern, action)) ?? actions[0] ?? '';
}

function viaWildcard(statement: MatchedStatement, action: string): boolean {
  const pattern = grantingPattern(statement, action);
  return pattern.includes('*') || pattern.includes('?') || pattern.startsWith('NotAction');
}

/** The resource pattern of a statement that covers `resource`. */
export function grantingResource(statement: MatchedStatement, resource: string): string {
  const resources = listOf(statement.statement.Resource);
  if (resources.length === 0) return `NotResource ${JSON.stringify(statement.statement.NotResource)}`;
  return resources.find((pattern) => arnMatches(pattern, resource)) ?? resources[0] ?? '';
}

import { textOf } from '../../model/json';
import { passRoleDrafts, wildcardReach } from '../catalogue-checks';
import { DOCS } from '../../needs/types';
import { statementFix } from '../describe';
import type { MatchedStatement } from '../../iam';
import {
  grantingPattern,
  grantingResource,
  overBroadGrants,
  sensitiveExample,
  unneededGrants,
  type OverBroadGrant,
} from '../probes';
import { baseContext } from '../requests';
import { decodePolicyDocument } from '../../iam';
import type { RoleModel, StateMachineModel } from '../../model/state-machine';
import type { Need } from '../../needs/types';
import { OverlapIndex } from '../overlap-index';
import { namesOf, roleDrafts } from '../shared-role';
import { defineRule, type FindingDraft, type MachineAnalysis, type MessageData } from '../types';

type ReachId =
  | 'wildcardAction'
  | 'wildcardActionWithExample'
  | 'otherStateMachine'
  | 'otherExecution'
  | 'otherBucket'
  | 'bucketNamePrefix'
  | 'wholeBucket'
  | 'listWithoutPrefix'
  | 'anyKey'
  | 'otherFunction'
  | 'otherResource';
type UnneededId = 'unneededActions' | 'unusedOnResources' | 'unneededActionsAndUnusedOnResources';
type MessageId = ReachId | UnneededId | 'trustsOthers' | 'passRoleUnscoped';
type FixId = 'trustStatesOnly' | 'removeGrants' | 'scopeToNeeds' | 'scopePassRole';

const REACH_IDS: Record<OverBroadGrant['kind'], ReachId> = {
  'wildcard-action': 'wildcardAction',
  'other-state-machine': 'otherStateMachine',
  'other-execution': 'otherExecution',
  'other-bucket': 'otherBucket',
  'bucket-name-prefix': 'bucketNamePrefix',
  'whole-bucket': 'wholeBucket',
  'list-without-prefix': 'listWithoutPrefix',
  'any-key': 'anyKey',
  'other-function': 'otherFunction',
  'other-resource': 'otherResource',
};

const UNNEEDED = 'grants {{actions}}, which no state of the state machines using this role needs';

/** The message of a grant that reaches beyond the needs, and the named parts it is built from. */
function describe(
  grant: OverBroadGrant,
  role: RoleNeeds,
  catalogue: MachineAnalysis['catalogue'],
): { messageId: ReachId; data: MessageData } {
  const { probe, statement } = grant;
  const action = probe.request.action;
  const service = action.split(':')[0] ?? '';
  const pattern = grantingPattern(statement, action);
  const resource = grantingResource(statement, probe.request.resource);
  let needed = role.neededText.get(action);
  if (needed === undefined) {
    const neededResources = [...new Set((role.byAction.get(action) ?? []).flatMap((n) => n.resources))];
    needed = namesOf(neededResources.length > 0 ? neededResources : probe.need.resources);
    if (neededResources.length > 0) role.neededText.set(action, needed);
  }
  if (grant.kind === 'wildcard-action') {
    // With the catalogue, how many actions the wildcard reaches beyond the need.
    if (!role.reach.has(pattern)) role.reach.set(pattern, wildcardReach(catalogue, pattern, role.needs));
    const reached = role.reach.get(pattern);
    const reach = reached === undefined ? '' : ` (${reached})`;
    const example = action.endsWith('DmapGuardAnyOtherAction') ? sensitiveExample(service) : action;
    return example
      ? { messageId: 'wildcardActionWithExample', data: { pattern, service, example, resource, reach } }
      : { messageId: 'wildcardAction', data: { pattern, service, resource, reach } };
  }
  const prefixes = JSON.stringify(probe.need.context?.['s3:prefix'] ?? []);
  return { messageId: REACH_IDS[grant.kind], data: { action, resource, needed, prefixes } };
}

/** The needs of every machine on the role, by action and by service, found once per role. */
interface RoleNeeds {
  needs: Need[];
  byAction: Map<string, Need[]>;
  byService: Map<string, Need[]>;
  /** Memoized per role: many statements grant the same action or wildcard. */
  neededText: Map<string, string>;
  reach: Map<string, string | undefined>;
}

function roleNeedsOf(needs: Need[]): RoleNeeds {
  const byAction = new Map<string, Need[]>();
  const byService = new Map<string, Need[]>();
  const file = (map: Map<string, Need[]>, key: string, need: Need) => {
    const list = map.get(key);
    if (!list) map.set(key, [need]);
    else if (list[list.length - 1] !== need) list.push(need);
  };
  for (const need of needs)
    for (const action of need.actions) {
      file(byAction, action, need);
      file(byService, action.split(':')[0] ?? '', need);
    }
  return { needs, byAction, byService, neededText: new Map(), reach: new Map() };
}

export const overBroadGrant = defineRule<MessageId, FixId>({
  id: 'over-broad-grant',
  severity: 'warning',
  summary: 'The role grants more than the definition needs.',
  why: 'Wildcard actions, Resource "*", whole buckets, listing without an s3:prefix condition, StartExecution on other state machines and KMS on any key all widen what a compromised or buggy workflow can do. Grants are judged against the needs of every state machine that uses the role.',
  docs: DOCS.distributedMap,
  fix: 'Replace the statement with the least-privilege statements shown.',
  tags: ['iam', 'least-privilege'],
  messages: {
    wildcardAction:
      '{{statement}} Action {{pattern}} grants {{service}} actions no state needs on {{resource}}{{reach}}.{{shared}}',
    wildcardActionWithExample:
      '{{statement}} Action {{pattern}} grants {{service}} actions no state needs (such as {{example}}) on {{resource}}{{reach}}.{{shared}}',
    otherStateMachine:
      '{{statement}} allows {{action}} on {{resource}}, which reaches other state machines; only {{needed}} is needed.{{shared}}',
    otherExecution:
      '{{statement}} allows {{action}} on {{resource}}, which reaches executions of other state machines; only {{needed}} is needed.{{shared}}',
    otherBucket:
      '{{statement}} allows {{action}} on {{resource}}, which reaches other buckets; only {{needed}} is needed.{{shared}}',
    bucketNamePrefix:
      '{{statement}} allows {{action}} on {{resource}}, which also matches every bucket whose name starts the same way; only {{needed}} is needed.{{shared}}',
    wholeBucket:
      '{{statement}} allows {{action}} on {{resource}}, the whole bucket, where {{needed}} suffices.{{shared}}',
    listWithoutPrefix:
      '{{statement}} allows {{action}} on {{resource}} for any prefix (no s3:prefix condition), where the listing uses {{prefixes}}.{{shared}}',
    anyKey:
      '{{statement}} allows {{action}} on {{resource}}, which reaches any KMS key; only {{needed}} is needed.{{shared}}',
    otherFunction:
      '{{statement}} allows {{action}} on {{resource}}, which reaches other Lambda functions; only {{needed}} is needed.{{shared}}',
    otherResource: '{{statement}} allows {{action}} on {{resource}}, beyond the needed {{needed}}.{{shared}}',
    unneededActions: `{{statement}} ${UNNEEDED}.{{shared}}`,
    unusedOnResources: '{{statement}} grants {{unused}}.{{shared}}',
    unneededActionsAndUnusedOnResources: `{{statement}} ${UNNEEDED}; it grants {{unused}}.{{shared}}`,
    passRoleUnscoped:
      '{{statement}} allows iam:PassRole on {{resources}} without an iam:PassedToService condition: the workflow can hand any role to any service{{passed}}.{{shared}}',
    trustsOthers:
      'Statement {{statement}} of {{policy}} lets {{principals}} assume the execution role; only states.amazonaws.com needs to.{{shared}}',
  },
  fixes: {
    trustStatesOnly:
      'Trust only the Step Functions service principal:\n- Effect: Allow\n  Principal:\n    Service: states.amazonaws.com\n  Action: sts:AssumeRole',
    removeGrants: 'Remove {{grants}} from the statement.',
    scopeToNeeds: 'Scope it to what the state machines need:\n{{statements}}',
    scopePassRole: 'Scope iam:PassRole to the roles the tasks pass and add {{condition}}.',
  },
  check(analysis) {
    const { role, machine } = analysis;
    if (!role) return [];
    return roleDrafts(analysis, 'over-broad-grant', () => [
      ...trustFindings(role),
      ...grantFindings(analysis, role, machine),
      ...passRoleDrafts(analysis),
    ]);
  },
});

type Draft = FindingDraft<MessageId, FixId>;

const STATES_SERVICE = /^states(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

/** Principals other than Step Functions that the trust policy lets assume the execution role. */
function trustFindings(role: RoleModel): Draft[] {
  if (!role.trust) return [];
  const statements = parsePolicyStatements(role.trust.document);
  const drafts: Draft[] = [];
  statements.forEach((statement, index) => {
    if (statement.Effect !== 'Allow') return;
    const principal = statement.Principal;
    const others: string[] = [];
    if (principal === '*') others.push('*');
    else if (typeof principal === 'object' && principal !== null) {
      for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
        for (const entry of Array.isArray(value) ? value : [value]) {
          const text = textOf(entry);
          if (!(kind === 'Service' && STATES_SERVICE.test(text))) others.push(`${kind} ${text}`);
        }
      }
    }
    if (others.length === 0) return;
    drafts.push({
      messageId: 'trustsOthers',
      data: {
        statement: typeof statement.Sid === 'string' ? statement.Sid : `#${index}`,
        policy: role.trust?.name ?? 'the trust policy',
        principals: others,
      },
      state: role.trust?.id ?? 'trust',
      actions: ['sts:AssumeRole'],
      resources: [role.arn],
      fix: 'trustStatesOnly',
      ...(role.trust?.origin
        ? { origin: { ...role.trust.origin, path: [...role.trust.origin.path, 'Statement', index] } }
        : {}),
    });
  });
  return drafts;
}

function parsePolicyStatements(document: unknown): Array<Record<string, unknown>> {
  const decoded = decodePolicyDocument(document).document;
  const raw =
    typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>).Statement : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
}

function grantFindings(analysis: MachineAnalysis, role: RoleModel, machine: StateMachineModel): Draft[] {
  const sources = new Map(role.identityPolicies.map((s) => [s.id, s]));
  const where = (statement: MatchedStatement) => {
    const source = sources.get(statement.policyId);
    const short = `Statement ${statement.sid ?? `#${statement.index}`}`;
    const label = `${short} of ${source?.name ?? statement.policyId}`;
    const origin = source?.origin
      ? { ...source.origin, path: [...source.origin.path, 'Statement', statement.index] }
      : undefined;
    return { label, short, ...(origin ? { origin } : {}) };
  };
  const unmodeled = new Set(
    analysis.roleUnmodeled
      .map((u) => /^arn:[^:]+:states:::([a-z0-9-]+):/.exec(u.resource)?.[1] ?? '')
      .filter((s) => s !== ''),
  );
  // How each draft's statement is named within its policy, for findings that merge like statements.
  const shortLabels = new Map<Draft, string>();
  const named = (short: string, draft: Draft) => (shortLabels.set(draft, short), draft);
  const unneeded = unneededGrants(role, analysis.roleNeeds, unmodeled).map(
    ({ statement, actions, elsewhere }): Draft => {
      const { label, short, origin } = where(statement);
      const unused = elsewhere.map((e) => `${e.action} on ${e.resources.join(', ')}, where no state uses it`);
      return named(short, {
        messageId:
          elsewhere.length === 0
            ? 'unneededActions'
            : actions.length === 0
              ? 'unusedOnResources'
              : 'unneededActionsAndUnusedOnResources',
        data: { statement: label, actions, unused: unused.join('; it grants ') },
        state: statement.policyId,
        actions: [...actions, ...elsewhere.map((e) => e.action)],
        resources: resourcesOf(statement),
        fix: 'removeGrants',
        fixData: { grants: [...actions, ...elsewhere.map((e) => `${e.action} on ${e.resources.join(', ')}`)] },
        ...(origin ? { origin } : {}),
      });
    },
  );
  const needs = roleNeedsOf(analysis.roleNeeds);
  // The fix shows the needs the statement's resources reach (every one of them: the fix replaces the statement),
  // of the same action, or else service: one fix per action and statement resources, found through an index,
  // since a role shared by many machines has many of both.
  const fixes = new Map<string, ReturnType<typeof statementFix>>();
  const indexes = new Map<string, OverlapIndex<Need>>();
  const reached = (key: string, list: Need[], patterns: readonly string[]) => {
    if (patterns.length === 0) return [];
    let index = indexes.get(key);
    if (!index)
      indexes.set(key, (index = new OverlapIndex(list.flatMap((n) => n.resources.map((r) => [r, n] as const)))));
    const found = new Set(patterns.flatMap((pattern) => (index as OverlapIndex<Need>).overlapping(pattern)));
    return list.filter((n) => found.has(n));
  };
  const fixFor = (grant: OverBroadGrant) => {
    const action = grant.probe.request.action;
    const service = action.split(':')[0] ?? '';
    // NotResource reaches what it does not name: the fix is every need of the action.
    const patterns = grant.statement.statement.Resource === undefined ? [] : resourcesOf(grant.statement);
    const key = `${action} ${JSON.stringify(patterns)}`;
    let fix = fixes.get(key);
    if (!fix) {
      const sameAction = needs.byAction.get(action) ?? [];
      const sameService = needs.byService.get(service) ?? [];
      let chosen = reached(`action ${action}`, sameAction, patterns);
      if (chosen.length === 0) chosen = sameAction;
      if (chosen.length === 0) chosen = reached(`service ${service}`, sameService, patterns);
      if (chosen.length === 0) chosen = sameService;
      fix = statementFix(chosen.length > 0 ? chosen : [grant.probe.need]);
      fixes.set(key, fix);
    }
    return fix;
  };
  const reach = overBroadGrants(role, analysis.roleNeeds, baseContext(machine, role)).map((grant): Draft => {
    const { label, short, origin } = where(grant.statement);
    const action = grant.probe.request.action;
    const { messageId, data } = describe(grant, needs, analysis.catalogue);
    const resource = grantingResource(grant.statement, grant.probe.request.resource);
    const fix = fixFor(grant);
    return named(short, {
      messageId,
      data: { ...data, statement: label },
      state: grant.statement.policyId,
      actions: [action.endsWith('DmapGuardAnyOtherAction') ? grantingPattern(grant.statement, action) : action],
      resources: [resource],
      fix: 'scopeToNeeds',
      fixData: { statements: fix.snippet },
      fixStatements: fix.statements,
      ...(origin ? { origin } : {}),
    });
  });
  return likeStatementsMerged([...unneeded, ...reach], shortLabels);
}

function resourcesOf(statement: MatchedStatement): string[] {
  const resource = statement.statement.Resource ?? statement.statement.NotResource;
  return resource === undefined ? [] : Array.isArray(resource) ? resource.map(textOf) : [textOf(resource)];
}

/**
 * Statements that grant the same thing with the same fix are one finding, naming them all: a policy written
 * statement by statement per machine would otherwise repeat the fix (every machine's resources) per statement.
 */
function likeStatementsMerged(drafts: Draft[], shortLabels: ReadonlyMap<Draft, string>): Draft[] {
  const groups = new Map<string, Draft[]>();
  // Fixes are shared objects (one per action and resources): told apart by identity, not by their long text.
  const fixIds = new Map<unknown, number>();
  const fixId = (draft: Draft) => {
    if (!draft.fixStatements) return JSON.stringify(draft.fixData ?? null);
    let id = fixIds.get(draft.fixStatements);
    if (id === undefined) fixIds.set(draft.fixStatements, (id = fixIds.size));
    return id;
  };
  for (const draft of drafts) {
    const { statement: _statement, ...rest } = draft.data;
    // Within one policy only: each finding keeps the location of the policy it names.
    const key = JSON.stringify([
      draft.state,
      draft.messageId,
      rest,
      draft.actions,
      draft.resources,
      draft.fix,
      fixId(draft),
    ]);
    const group = groups.get(key);
    if (group) group.push(draft);
    else groups.set(key, [draft]);
  }
  return [...groups.values()].map(([first, ...others]) => {
    if (!first || others.length === 0) return first as Draft;
    const more = others.map((d) => shortLabels.get(d) ?? textOf(d.data.statement));
    const statement = `${textOf(first.data.statement)} (and ${more.length} more statement${more.length === 1 ? '' : 's'} granting the same: ${namesOf(more)})`;
    return { ...first, data: { ...first.data, statement } };
  });
}

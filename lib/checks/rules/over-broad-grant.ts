import { passRoleDrafts, wildcardReach } from '../catalogue-checks';
import { DOCS } from '../../needs/types';
import { statementSnippet } from '../describe';
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
import type { FindingDraft, MachineAnalysis, Rule } from '../types';

function describe(grant: OverBroadGrant, roleNeeds: Need[]): string {
  const { probe, statement } = grant;
  const action = probe.request.action;
  const service = action.split(':')[0] ?? '';
  const pattern = grantingPattern(statement, action);
  const resource = grantingResource(statement, probe.request.resource);
  const needed =
    [...new Set(roleNeeds.filter((n) => n.actions.includes(action)).flatMap((n) => n.resources))].join(', ') ||
    probe.need.resources.join(', ');
  switch (grant.kind) {
    case 'wildcard-action': {
      const example = action.endsWith('DmapGuardAnyOtherAction') ? sensitiveExample(service) : action;
      return `Action ${pattern} grants ${service} actions no state needs${example ? ` (such as ${example})` : ''} on ${resource}`;
    }
    case 'other-state-machine':
      return `allows ${action} on ${resource}, which reaches other state machines; only ${needed} is needed`;
    case 'other-execution':
      return `allows ${action} on ${resource}, which reaches executions of other state machines; only ${needed} is needed`;
    case 'other-bucket':
      return `allows ${action} on ${resource}, which reaches other buckets; only ${needed} is needed`;
    case 'bucket-name-prefix':
      return `allows ${action} on ${resource}, which also matches every bucket whose name starts the same way; only ${needed} is needed`;
    case 'whole-bucket':
      return `allows ${action} on ${resource}, the whole bucket, where ${needed} suffices`;
    case 'list-without-prefix':
      return `allows ${action} on ${resource} for any prefix (no s3:prefix condition), where the listing uses ${JSON.stringify(probe.need.context?.['s3:prefix'] ?? [])}`;
    case 'any-key':
      return `allows ${action} on ${resource}, which reaches any KMS key; only ${needed} is needed`;
    case 'other-function':
      return `allows ${action} on ${resource}, which reaches other Lambda functions; only ${needed} is needed`;
    case 'other-resource':
      return `allows ${action} on ${resource}, beyond the needed ${needed}`;
  }
}

export const overBroadGrant: Rule = {
  id: 'over-broad-grant',
  severity: 'warning',
  summary: 'The role grants more than the definition needs.',
  why: 'Wildcard actions, Resource "*", whole buckets, listing without an s3:prefix condition, StartExecution on other state machines and KMS on any key all widen what a compromised or buggy workflow can do. Grants are judged against the needs of every state machine that uses the role.',
  docs: DOCS.distributedMap,
  fix: 'Replace the statement with the least-privilege statements shown.',
  check(analysis) {
    const { role, machine } = analysis;
    if (!role) return [];
    return [...trustFindings(role), ...grantFindings(analysis, role, machine), ...passRoleDrafts(analysis)];
  },
};

const STATES_SERVICE = /^states(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

/** Principals other than Step Functions that the trust policy lets assume the execution role. */
function trustFindings(role: RoleModel): FindingDraft[] {
  if (!role.trust) return [];
  const statements = parsePolicyStatements(role.trust.document);
  const drafts: FindingDraft[] = [];
  statements.forEach((statement, index) => {
    if (statement.Effect !== 'Allow') return;
    const principal = statement.Principal;
    const others: string[] = [];
    if (principal === '*') others.push('*');
    else if (typeof principal === 'object' && principal !== null) {
      for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
        for (const entry of Array.isArray(value) ? value : [value]) {
          const text = String(entry);
          if (!(kind === 'Service' && STATES_SERVICE.test(text))) others.push(`${kind} ${text}`);
        }
      }
    }
    if (others.length === 0) return;
    drafts.push({
      state: role.trust?.id ?? 'trust',
      action: 'sts:AssumeRole',
      resource: role.arn,
      message: `Statement ${typeof statement.Sid === 'string' ? statement.Sid : `#${index}`} of ${role.trust?.name ?? 'the trust policy'} lets ${others.join(', ')} assume the execution role; only states.amazonaws.com needs to.`,
      fix: 'Trust only the Step Functions service principal:\n- Effect: Allow\n  Principal:\n    Service: states.amazonaws.com\n  Action: sts:AssumeRole',
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

function grantFindings(analysis: MachineAnalysis, role: RoleModel, machine: StateMachineModel): FindingDraft[] {
  const sources = new Map(role.identityPolicies.map((s) => [s.id, s]));
  const where = (statement: MatchedStatement) => {
    const source = sources.get(statement.policyId);
    const label = `Statement ${statement.sid ?? `#${statement.index}`} of ${source?.name ?? statement.policyId}`;
    const origin = source?.origin
      ? { ...source.origin, path: [...source.origin.path, 'Statement', statement.index] }
      : undefined;
    return { label, ...(origin ? { origin } : {}) };
  };
  const unmodeled = new Set(
    analysis.needs.unmodeled
      .map((u) => /^arn:[^:]+:states:::([a-z0-9-]+):/.exec(u.resource)?.[1] ?? '')
      .filter((s) => s !== ''),
  );
  const unneeded = unneededGrants(role, analysis.roleNeeds, unmodeled).map(
    ({ statement, actions, elsewhere }): FindingDraft => {
      const { label, origin } = where(statement);
      const parts = [
        ...(actions.length > 0
          ? [`grants ${actions.join(', ')}, which no state of the state machines using this role needs`]
          : []),
        ...elsewhere.map((e) => `grants ${e.action} on ${e.resources.join(', ')}, where no state uses it`),
      ];
      return {
        state: statement.policyId,
        action: [...actions, ...elsewhere.map((e) => e.action)].join(', '),
        resource: resourcesOf(statement),
        message: `${label} ${parts.join('; it ')}.`,
        fix: `Remove ${[...actions, ...elsewhere.map((e) => `${e.action} on ${e.resources.join(', ')}`)].join(', ')} from the statement.`,
        ...(origin ? { origin } : {}),
      };
    },
  );
  const reach = overBroadGrants(role, analysis.roleNeeds, baseContext(machine, role)).map((grant): FindingDraft => {
    const { label, origin } = where(grant.statement);
    const action = grant.probe.request.action;
    const sameAction = analysis.roleNeeds.filter((n) => n.actions.includes(action));
    const sameService = analysis.roleNeeds.filter((n) =>
      n.actions.some((a) => a.split(':')[0] === action.split(':')[0]),
    );
    return {
      state: grant.statement.policyId,
      action: action.endsWith('DmapGuardAnyOtherAction') ? grantingPattern(grant.statement, action) : action,
      resource: grantingResource(grant.statement, grant.probe.request.resource),
      message: `${label} ${describe(grant, analysis.roleNeeds)}${reachOf(grant, analysis)}.`,
      fix: `Scope it to what the state machines need:\n${statementSnippet(sameAction.length > 0 ? sameAction : sameService.length > 0 ? sameService : [grant.probe.need])}`,
      ...(origin ? { origin } : {}),
    };
  });
  return [...unneeded, ...reach];
}

function resourcesOf(statement: MatchedStatement): string {
  const resource = statement.statement.Resource ?? statement.statement.NotResource;
  return Array.isArray(resource) ? resource.join(', ') : String(resource);
}

/** With the catalogue, how many actions a wildcard action reaches beyond the need. */
function reachOf(grant: OverBroadGrant, analysis: MachineAnalysis): string {
  if (grant.kind !== 'wildcard-action') return '';
  const reach = wildcardReach(
    analysis.catalogue,
    grantingPattern(grant.statement, grant.probe.request.action),
    analysis.roleNeeds,
  );
  return reach === undefined ? '' : ` (${reach})`;
}

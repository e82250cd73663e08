// Checks that need the IAM catalogue: actions that do not exist, grants on a resource type the action does not
// act on, and how far a wildcard action reaches. Each returns drafts; the rules that own the finding ids
// (invalid-policy, over-broad-grant, unverifiable) call them. Without a catalogue they find nothing.
import { actionMatches } from '../iam/match';
import { editDistance, globFitsFormat, type Catalogue } from '../iam/catalogue';
import type { Statement } from '../iam';
import type { RoleModel } from '../model/state-machine';
import type { Need } from '../needs/types';
import { compileRole } from './role';
import { namesOf } from './shared-role';
import type { FindingDraft, MachineAnalysis } from './types';

/** Names people write for what IAM calls something else (API names, the wrong service). */
const KNOWN_CONFUSIONS: ReadonlyMap<string, string> = new Map([
  ['s3:listobjectsv2', 's3:ListBucket'],
  ['s3:listobjects', 's3:ListBucket'],
  ['s3:headobject', 's3:GetObject'],
  ['s3:headbucket', 's3:ListBucket'],
  ['s3:listobjectversions', 's3:ListBucketVersions'],
  ['s3:deleteobjects', 's3:DeleteObject'],
  ['s3:createmultipartupload', 's3:PutObject'],
  ['s3:uploadpart', 's3:PutObject'],
  ['s3:completemultipartupload', 's3:PutObject'],
  ['s3:copyobject', 's3:GetObject and s3:PutObject'],
  ['kinesis:putrecordbatch', 'firehose:PutRecordBatch'],
  ['kinesis:putrecordbatchrequest', 'firehose:PutRecordBatch'],
  ['lambda:invoke', 'lambda:InvokeFunction'],
  ['lambda:invokeasync', 'lambda:InvokeFunction'],
  ['sqs:sendmessagebatch', 'sqs:SendMessage'],
  ['sns:publishbatch', 'sns:Publish'],
  ['states:startexecutionsync', 'states:StartSyncExecution'],
  ['dynamodb:batchwrite', 'dynamodb:BatchWriteItem'],
  ['logs:putlogevent', 'logs:PutLogEvents'],
]);

/** What an action that does not exist probably meant. */
export function probablyMeant(catalogue: Catalogue, action: string): string | undefined {
  const known = KNOWN_CONFUSIONS.get(action.toLowerCase());
  if (known !== undefined) return known;
  const [service = '', name = ''] = action.split(':');
  const candidates = catalogue.actionsOf(service) ?? [];
  let best: { action: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate.split(':')[1] ?? '');
    if (distance <= Math.max(2, Math.floor(name.length / 4)) && (best === undefined || distance < best.distance))
      best = { action: candidate, distance };
  }
  return best?.action;
}

function closestService(catalogue: Catalogue, service: string): string | undefined {
  const stripped = catalogue.services().find((s) => s.replace(/-/g, '') === service.toLowerCase());
  if (stripped !== undefined) return stripped;
  const near = catalogue.services().filter((s) => editDistance(s, service) <= 2);
  return near[0];
}

interface StatementAt {
  statement: Statement;
  policy: string;
  label: string;
}

function statementsOf(role: RoleModel): StatementAt[] {
  const { identity } = compileRole(role);
  return role.identityPolicies.flatMap((source, index) =>
    (identity[index]?.statements ?? []).map((statement) => ({
      statement,
      policy: source.id,
      label: `${source.name}: Statement ${statement.sid ?? `#${statement.index}`}`,
    })),
  );
}

/** invalid-policy (warning): actions the catalogue does not know, with what was probably meant. */
/** Message and fix ids of the catalogue's drafts, declared by the rules that report them. */
export type UnknownActionId = 'unknownService' | 'noActionMatches' | 'unknownAction';
export type WrongResourceTypeId = 'wrongResourceType';
export type CatalogueFixId = 'servicePrefix' | 'replaceAction' | 'resourceType';

export function unknownActionDrafts(
  analysis: MachineAnalysis,
  catalogue: Catalogue | undefined,
): FindingDraft<UnknownActionId, CatalogueFixId>[] {
  if (!catalogue || !analysis.role) return [];
  const drafts: FindingDraft<UnknownActionId, CatalogueFixId>[] = [];
  for (const { statement, policy, label } of statementsOf(analysis.role)) {
    const effect = statement.effect === 'Allow' ? 'grants' : 'denies';
    for (const action of statement.action ?? []) {
      if (action === '*' || !action.includes(':')) continue;
      const service = action.split(':')[0] ?? '';
      if (!catalogue.serviceExists(service)) {
        const near = closestService(catalogue, service);
        drafts.push({
          messageId: 'unknownService',
          data: { statement: label, action, service, suggestion: near ? `; did you mean ${near}?` : '.', effect },
          severity: 'warning',
          state: policy,
          actions: [action],
          fix: 'servicePrefix',
          fixData: { prefix: near ?? 'the Service Authorization Reference names' },
        });
        continue;
      }
      if (/[*?]/.test(action)) {
        if (catalogue.actionsMatching(action)?.length === 0)
          drafts.push({
            messageId: 'noActionMatches',
            data: { statement: label, action, effect },
            severity: 'warning',
            state: policy,
            actions: [action],
          });
        continue;
      }
      if (catalogue.actionExists(action) !== false) continue;
      const meant = probablyMeant(catalogue, action);
      drafts.push({
        messageId: 'unknownAction',
        data: { statement: label, action, probably: meant ? `; probably ${meant} was meant` : '', effect },
        severity: 'warning',
        state: policy,
        actions: [action],
        fix: 'replaceAction',
        fixData: { action, replacement: meant ?? 'the IAM action the Service Authorization Reference names' },
      });
    }
  }
  return drafts;
}

/** invalid-policy (warning): a specific action granted only on resources of a type it does not act on. */
export function wrongResourceTypeDrafts(
  analysis: MachineAnalysis,
  catalogue: Catalogue | undefined,
): FindingDraft<WrongResourceTypeId, CatalogueFixId>[] {
  if (!catalogue || !analysis.role) return [];
  const drafts: FindingDraft<WrongResourceTypeId, CatalogueFixId>[] = [];
  for (const { statement, policy, label } of statementsOf(analysis.role)) {
    const resources = statement.resource ?? [];
    if (statement.effect !== 'Allow' || resources.length === 0 || resources.some((r) => !r.startsWith('arn:')))
      continue;
    for (const action of statement.action ?? []) {
      if (/[*?]/.test(action)) continue;
      const details = catalogue.action(action);
      if (!details || details.wildcardOnly || details.resourceTypes.length === 0) continue;
      const fits = resources.some((r) => details.resourceTypes.some((t) => globFitsFormat(r, t.arn)));
      if (fits) continue;
      const types = details.resourceTypes.map((t) => `${t.name} (${t.arn})`).join(', ');
      drafts.push({
        messageId: 'wrongResourceType',
        data: { statement: label, action, types, resources },
        severity: 'warning',
        state: policy,
        actions: [action],
        resources,
        fix: 'resourceType',
        fixData: { action, types: details.resourceTypes.map((t) => t.name).join(' or ') },
      });
    }
  }
  return drafts;
}

/** over-broad-grant: "reaches N actions, M beyond what the state machines need" for a wildcard action. */
export function wildcardReach(
  catalogue: Catalogue | undefined,
  pattern: string,
  roleNeeds: Need[],
): string | undefined {
  const reached = catalogue?.actionsMatching(pattern);
  if (!reached) return undefined;
  const needed = new Set(roleNeeds.flatMap((n) => n.actions).map((a) => a.toLowerCase()));
  const beyond = reached.filter((a) => !needed.has(a.toLowerCase())).length;
  return `${pattern} reaches ${reached.length} actions, ${beyond} of them beyond what the state machines need`;
}

/** unverifiable: a derived need names an action the catalogue does not know (the aws-sdk mapping is off). */
export function unknownNeedActionDrafts(
  analysis: MachineAnalysis,
  catalogue: Catalogue | undefined,
): FindingDraft<'unknownNeedAction', never>[] {
  if (!catalogue) return [];
  const drafts: FindingDraft<'unknownNeedAction', never>[] = [];
  for (const need of analysis.needs.needs) {
    for (const action of need.actions) {
      if (catalogue.actionExists(action) !== false) continue;
      drafts.push({
        messageId: 'unknownNeedAction',
        data: { state: need.source.state, action },
        state: need.source.state,
        actions: [action],
        resources: need.resources,
      });
    }
  }
  return drafts;
}

/** Every IAM service whose catalogue entries a check of these roles and needs uses. */
export function catalogueServices(roles: RoleModel[], needs: Need[]): string[] {
  const services = new Set<string>();
  for (const need of needs) for (const action of need.actions) services.add(action.split(':')[0] ?? '');
  for (const role of roles)
    for (const { statement } of statementsOf(role))
      for (const action of [...(statement.action ?? []), ...(statement.notAction ?? [])])
        if (action.includes(':')) services.add(action.split(':')[0] ?? '');
  services.delete('');
  return [...services];
}

/** over-broad-grant: iam:PassRole on every role without iam:PassedToService lets the workflow hand any role to any service. */
export function passRoleDrafts(analysis: MachineAnalysis): FindingDraft<'passRoleUnscoped', 'scopePassRole'>[] {
  if (!analysis.role) return [];
  const passes = analysis.roleNeeds.filter((n) => n.actions.includes('iam:PassRole'));
  const drafts: FindingDraft<'passRoleUnscoped', 'scopePassRole'>[] = [];
  for (const { statement, policy, label } of statementsOf(analysis.role)) {
    if (statement.effect !== 'Allow' || !(statement.action ?? []).some((p) => actionMatches(p, 'iam:PassRole')))
      continue;
    const broad = (statement.resource ?? []).filter((r) => r === '*' || /^arn:[^:]+:iam::[^:]*:role\/\*$/.test(r));
    if (broad.length === 0) continue;
    const keys = Object.values(statement.condition ?? {}).flatMap((entries) =>
      Object.keys(entries).map((k) => k.toLowerCase()),
    );
    if (keys.includes('iam:passedtoservice')) continue;
    const services = [...new Set(passes.flatMap((n) => n.context?.['iam:PassedToService'] ?? []))];
    const roles = [...new Set(passes.filter((n) => !n.runtime).flatMap((n) => n.resources))];
    drafts.push({
      messageId: 'passRoleUnscoped',
      data: {
        statement: label,
        resources: broad,
        passed: roles.length > 0 ? `; the tasks pass only ${namesOf(roles)}` : '',
      },
      state: policy,
      actions: ['iam:PassRole'],
      resources: broad,
      fix: 'scopePassRole',
      fixData: {
        condition:
          services.length > 0
            ? `Condition: {StringEquals: {"iam:PassedToService": ${JSON.stringify(services)}}}`
            : 'an iam:PassedToService condition',
      },
    });
  }
  return drafts;
}

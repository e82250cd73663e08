// What dmap-guard could not decide, one finding per need or machine, each with what the user can do about it.
// A machine with any of these findings is UNVERIFIED, never PASS (lib/report/report.ts verdictOf).
import { sourceOf } from '../describe';
import { trustOf } from '../trust';
import {
  UNMODELED_FIXES,
  UNMODELED_MESSAGES,
  unmodeledDrafts,
  type UnmodeledFixId,
  type UnmodeledMessageId,
} from '../unmodeled';
import { defineRule, type FindingDraft, type NeedResult } from '../types';

type MessageId =
  | 'roleUnresolved'
  | 'roleUnreadable'
  | 'policiesUnreadable'
  | 'needUnproven'
  | 'needContextKeys'
  | 'needUndecided'
  | 'resourceUndecided'
  | 'machineUndecided'
  | 'trustUndecided'
  | UnmodeledMessageId;
type FixId = 'provideContextKeys' | 'undecided' | 'resourcePolicy' | 'remedy' | 'trustStates' | UnmodeledFixId;

/** Statuses of a need that is neither proven nor disproven ('unknown' comes with three-valued evaluation). */
const UNDECIDED: ReadonlySet<string> = new Set(['unproven', 'unknown']);

/**
 * The statements that left a request undecided (three-valued evaluation), each with the keys or variables it could
 * not decide: "Allow statement Sid of policy (permissions boundary) depends on aws:SourceIp".
 */
function undecidedStatements(result: NeedResult): string[] {
  const statements = new Map<string, Set<string>>();
  for (const { evaluation } of result.results) {
    if (evaluation.decision !== 'unknown') continue;
    for (const statement of evaluation.unknown ?? []) {
      // Key and bucket policy statements are told by the resource side's reasons (resourceReasons).
      if (statement.layer === 'resource') continue;
      const which =
        statement.sid !== undefined
          ? `statement ${statement.sid}`
          : statement.index >= 0
            ? `statement #${statement.index}`
            : 'statement';
      const layer =
        statement.layer === 'identity'
          ? ''
          : ` (${statement.layer === 'scp' ? 'SCP' : statement.layer === 'boundary' ? 'permissions boundary' : statement.layer})`;
      const name = `${statement.effect} ${which} of ${statement.policyId}${layer}`;
      const keys = statements.get(name) ?? new Set<string>();
      for (const key of statement.keys) keys.add(key);
      statements.set(name, keys);
    }
  }
  return [...statements].map(([name, keys]) => (keys.size > 0 ? `${name} depends on ${[...keys].join(', ')}` : name));
}

/** Why the resource side (key policy, bucket policy, grants) of an undecided need could not be decided. */
function resourceReasons(result: NeedResult): string[] {
  return [
    ...new Set(
      result.results.flatMap((r) =>
        r.evaluation.decision === 'unknown' && r.resource?.unknown ? [r.resource.unknown] : [],
      ),
    ),
  ];
}

/** Context keys the requests of an undecided need depended on, in order of first mention. */
function undecidedKeys(result: NeedResult): string[] {
  return [...new Set(result.results.flatMap((r) => r.evaluation.missingContextKeys))];
}

export const unverifiable = defineRule({
  id: 'unverifiable',
  severity: 'warning',
  summary: 'Something a verdict depends on cannot be decided before deployment, so the machine is UNVERIFIED.',
  why: 'A role or policy outside the template without a snapshot, a condition on a context key dmap-guard cannot know, a template Condition on a parameter without a value, a resource dmap-guard cannot read: any of them could break the Map Run or let it through. dmap-guard never reports a pass it did not prove, and never an error it cannot show; each finding names what could not be decided and what to provide.',
  docs: 'https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html',
  fix: 'Pass --snapshot with the output of `aws iam get-account-authorization-details`, or run dmap-guard audit against the account.',
  tags: ['iam', 'unverified'],
  messages: {
    roleUnresolved: 'The execution role ({{role}}) cannot be resolved, so none of the {{needs}} needs can be checked.',
    roleUnreadable: 'Role {{role}} cannot be read ({{unknown}}), so none of the {{needs}} needs can be checked.',
    policiesUnreadable:
      'Role {{role}} has permissions dmap-guard cannot read: {{unknown}}. Grants in them are neither credited nor judged.',
    needUnproven:
      'Cannot prove {{tier}} {{actions}} on {{resources}} ({{source}}): the policies dmap-guard can read do not allow it, and the unread ones might.',
    needContextKeys:
      'Cannot decide {{tier}} {{actions}} on {{resources}} ({{source}}): a statement that decides it has a condition on {{keys}}, whose value in this request dmap-guard cannot know.',
    needUndecided:
      'Cannot decide {{tier}} {{actions}} on {{resources}} ({{source}}): {{reasons}}, a value dmap-guard cannot know for the requests Step Functions makes.',
    resourceUndecided: 'Cannot decide {{tier}} {{actions}} on {{resources}} ({{source}}): {{reasons}}.',
    machineUndecided: 'Cannot decide {{subject}}: {{reason}}.',
    trustUndecided: 'Cannot decide whether Step Functions can assume role {{role}}: {{reason}}.',
    ...UNMODELED_MESSAGES,
  },
  fixes: {
    provideContextKeys:
      'Check the condition on {{keys}} against what Step Functions sends; run dmap-guard audit with the value, or suppress this finding with the reason it holds.',
    undecided:
      'Make the condition hold without that key (for example with an ...IfExists operator), or verify the call in the account (dmap-guard audit, or the Map Run itself).',
    resourcePolicy:
      'Pass the key or bucket policy with --resource-policies (README "Resource policies": aws kms get-key-policy, aws s3api get-bucket-policy), or check in the account (dmap-guard audit, the hook), which reads it.',
    remedy: '{{remedy}}',
    ...UNMODELED_FIXES,
    trustStates:
      'Trust the service principal states.amazonaws.com with sts:AssumeRole, with conditions only on aws:SourceArn and aws:SourceAccount.',
  },
  check(analysis): FindingDraft<MessageId, FixId>[] {
    const { role, machine } = analysis;
    const drafts: FindingDraft<MessageId, FixId>[] = machine.unverifiable.map((entry) => ({
      messageId: 'machineUndecided',
      data: { subject: entry.subject, reason: entry.reason },
      fix: 'remedy',
      fixData: { remedy: entry.remedy },
    }));
    // Tasks whose permissions cannot be derived or checked: the role may lack them, nothing proves it has them.
    drafts.push(...unmodeledDrafts(analysis));
    const needs = analysis.needResults.filter((r) => r.need.tier !== 'optional').length;
    if (!role) {
      drafts.push({ messageId: 'roleUnresolved', data: { role: machine.roleReference ?? 'unknown', needs } });
      return drafts;
    }
    const trust = trustOf(role, machine);
    if (trust?.status === 'unknown')
      drafts.push({
        messageId: 'trustUndecided',
        data: { role: role.arn, reason: trust.reason },
        state: role.trust?.id ?? 'trust',
        actions: ['sts:AssumeRole'],
        resources: [role.arn],
        fix: 'trustStates',
      });
    const unknown = role.unknown.join('; ');
    if (role.unknown.length > 0 && role.identityPolicies.length === 0) {
      drafts.push({ messageId: 'roleUnreadable', data: { role: role.arn, unknown, needs }, resources: [role.arn] });
      return drafts;
    }
    if (role.unknown.length > 0)
      drafts.push({ messageId: 'policiesUnreadable', data: { role: role.arn, unknown }, resources: [role.arn] });
    for (const result of analysis.needResults) {
      if (!UNDECIDED.has(result.status) || result.need.tier === 'optional') continue;
      const { need } = result;
      const keys = undecidedKeys(result);
      const data = { tier: need.tier, actions: need.actions, resources: need.resources, source: sourceOf(need) };
      const at = { state: need.source.state, actions: need.actions, resources: need.resources };
      const onResource = result.status === 'unknown' ? resourceReasons(result) : [];
      if (onResource.length > 0) {
        const reasons = [...onResource, ...undecidedStatements(result)].join('; ');
        drafts.push({ messageId: 'resourceUndecided', data: { ...data, reasons }, ...at, fix: 'resourcePolicy' });
        continue;
      }
      const reasons = result.status === 'unknown' ? undecidedStatements(result) : [];
      if (reasons.length > 0) {
        drafts.push({
          messageId: 'needUndecided',
          data: { ...data, reasons: reasons.join('; ') },
          ...at,
          fix: 'undecided',
        });
        continue;
      }
      drafts.push(
        keys.length > 0
          ? {
              messageId: 'needContextKeys',
              data: { ...data, keys },
              ...at,
              fix: 'provideContextKeys',
              fixData: { keys },
            }
          : { messageId: 'needUnproven', data, ...at },
      );
    }
    return drafts;
  },
});

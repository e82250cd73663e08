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
import { defineRule, type FindingDraft, type NeedResult, type RequestResult } from '../types';
import type { ResourceTarget } from '../resource-access';

type MessageId =
  | 'roleUnresolved'
  | 'roleUnreadable'
  | 'policiesUnreadable'
  | 'needUnproven'
  | 'needContextKeys'
  | 'needUndecided'
  | 'resourceUndecided'
  | 'resourcePolicyUnknown'
  | 'machineUndecided'
  | 'trustUndecided'
  | UnmodeledMessageId;
type FixId =
  | 'provideContextKeys'
  | 'undecided'
  | 'resourcePolicy'
  | 'provideBucketPolicy'
  | 'provideKeyPolicy'
  | 'remedy'
  | 'trustStates'
  | UnmodeledFixId;

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

/** A request left undecided because its key or bucket policy is not known (reported once per resource). */
const onUnknownPolicy = (r: RequestResult) => r.evaluation.decision === 'unknown' && r.resource?.unknownPolicy;

/**
 * Why the resource side (key policy, bucket policy, grants) of an undecided need could not be decided, apart from
 * policies not known at all, which unknownPolicyDrafts reports once per resource.
 */
function resourceReasons(result: NeedResult): string[] {
  return [
    ...new Set(
      result.results.flatMap((r) =>
        r.evaluation.decision === 'unknown' && r.resource?.unknown && !onUnknownPolicy(r) ? [r.resource.unknown] : [],
      ),
    ),
  ];
}

/** Is every undecided request of the need undecided only because a key or bucket policy is not known? */
function onlyUnknownPolicies(result: NeedResult): boolean {
  const undecided = result.results.filter((r) => r.evaluation.decision === 'unknown');
  return (
    undecided.length > 0 &&
    undecided.every((r) => onUnknownPolicy(r) && (r.evaluation.unknown ?? []).every((s) => s.layer === 'resource'))
  );
}

/**
 * One finding per key or bucket whose policy is not known and decides undecided needs, listing them: the policy is
 * one thing to provide, however many needs it decides.
 */
function unknownPolicyDrafts(results: readonly NeedResult[]): FindingDraft<MessageId, FixId>[] {
  const byResource = new Map<
    string,
    { target: ResourceTarget; crossAccount: boolean; needs: NeedResult[]; roleDenies: boolean }
  >();
  for (const result of results) {
    if (!UNDECIDED.has(result.status) || result.need.tier === 'optional') continue;
    for (const r of result.results) {
      const access = r.resource;
      if (!access || !onUnknownPolicy(r)) continue;
      const entry = byResource.get(access.target.arn) ?? {
        target: access.target,
        crossAccount: access.crossAccount,
        needs: [],
        roleDenies: false,
      };
      if (!entry.needs.includes(result)) entry.needs.push(result);
      if (access.unknownPolicy?.roleAllows === false) entry.roleDenies = true;
      byResource.set(access.target.arn, entry);
    }
  }
  return [...byResource.values()].map(({ target, crossAccount, needs, roleDenies }): FindingDraft<MessageId, FixId> => {
    const states = new Set(needs.map((n) => n.need.source.state));
    const bucket = target.kind === 'bucket' ? target.arn.slice(target.arn.lastIndexOf(':') + 1) : undefined;
    return {
      messageId: 'resourcePolicyUnknown',
      data: {
        policy: bucket !== undefined ? `the bucket policy of ${bucket}` : `the key policy of ${target.arn}`,
        count: needs.length === 1 ? '1 need' : `${needs.length} needs`,
        needs: needs
          .map(
            ({ need }) => `${need.tier} ${need.actions.join(', ')} on ${need.resources.join(', ')} (${sourceOf(need)})`,
          )
          .join('; '),
        decides:
          target.kind === 'key'
            ? crossAccount
              ? `the key is in account ${target.account ?? 'another account'}, so its key policy must allow the role too`
              : 'the key policy is the gate to a KMS key: it must allow the role, or let IAM policies allow it'
            : crossAccount
              ? `the bucket is in account ${target.account ?? 'another account'}, so its policy must allow the role too`
              : target.account !== undefined
                ? "in the role's account a bucket policy can deny what the role allows, or allow what the role does not"
                : "a bucket policy can deny what the role allows, and in the role's account allow what the role does not (in another account it must allow the role too)",
        role: roleDenies ? ", and the role's own policies do not allow all of them" : '',
      },
      ...(states.size === 1 ? { state: [...states][0] as string } : {}),
      actions: [...new Set(needs.flatMap((n) => n.need.actions))],
      resources: [target.arn],
      ...(bucket !== undefined
        ? { fix: 'provideBucketPolicy' as const, fixData: { arn: target.arn, bucket } }
        : { fix: 'provideKeyPolicy' as const, fixData: { arn: target.arn } }),
    };
  });
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
    resourcePolicyUnknown:
      'Cannot decide {{count}} without {{policy}}, which is not known: {{decides}}{{role}}. The needs: {{needs}}.',
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
    provideBucketPolicy:
      'Pass the bucket policy with --resource-policies <file> (the CDK validator: its resourcePolicies option), a JSON file {"{{arn}}": <the output of `aws s3api get-bucket-policy --bucket {{bucket}} --query Policy --output text`>} (null instead when that answers NoSuchBucketPolicy: the bucket has none); or check in the account (the hook, the validate function, dmap-guard audit), which reads it.',
    provideKeyPolicy:
      'Pass the key policy with --resource-policies <file> (the CDK validator: its resourcePolicies option), a JSON file {"{{arn}}": <the output of `aws kms get-key-policy --key-id {{arn}} --policy-name default --query Policy --output text`>}; or check in the account (the hook, the validate function, dmap-guard audit), which reads it.',
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
    drafts.push(...unknownPolicyDrafts(analysis.needResults));
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
      // Decided but for key or bucket policies not known: their findings name this need.
      if (reasons.length === 0 && result.status === 'unknown' && onlyUnknownPolicies(result)) continue;
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

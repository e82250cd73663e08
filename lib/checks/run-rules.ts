// Rules on one machine's analysis → findings: drafts are formatted, a crashing rule becomes a rule-error
// finding, duplicates go, suppressions are applied.
import { displayValue } from '../model/arns';
import { messageOf } from '../model/errors';
import type { StateMachineModel } from '../model/state-machine';
import { formatTemplate } from './format';
import { ruleError } from './rules/rule-error';
import { suppressionCovers } from './suppression-match';
import type { Finding, FindingDraft, MachineAnalysis, Rule, RuleMeta } from './types';

/** Run rules on one analysis; a rule that throws (or drafts a message it lacks) becomes a rule-error finding and the others still run. */
export function runRules(analysis: MachineAnalysis, rules: Rule[]): Finding[] {
  const { machine } = analysis;
  const findings: Finding[] = [];
  for (const rule of rules) {
    try {
      findings.push(...rule.check(analysis).map((draft) => toFinding(rule, machine, draft)));
    } catch (error) {
      const draft = { messageId: 'ruleFailed', data: { rule: rule.id, error: messageOf(error) } };
      findings.push(toFinding(ruleError, machine, draft));
    }
  }
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = [f.rule, f.messageId, f.state, f.actions.join(', '), f.resources.join(', '), f.message].join('|');
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map((finding) => applySuppressions(finding, machine));
}

function toFinding(rule: RuleMeta, machine: StateMachineModel, draft: FindingDraft): Finding {
  const actions = [...(draft.actions ?? [])];
  const resources = (draft.resources ?? []).map(displayValue);
  const fix = draft.fix === undefined ? rule.fix : formatTemplate(rule.fixes, draft.fix, draft.fixData ?? {}, rule.id);
  const finding: Finding = {
    rule: rule.id,
    severity: draft.severity ?? rule.severity,
    messageId: draft.messageId,
    template: machine.source,
    stateMachine: machine.id,
    state: draft.state ?? '$',
    action: actions[0] ?? '',
    actions,
    resource: resources[0] ?? '',
    resources,
    message: displayValue(formatTemplate(rule.messages, draft.messageId, draft.data, rule.id)),
    fix: displayValue(fix),
  };
  if (draft.fixStatements) finding.fixStatements = draft.fixStatements;
  const origin = draft.origin ?? machine.origin;
  if (origin) finding.origin = origin;
  return finding;
}

/** A suppression's action and resource patterns must cover every action and resource the finding names. */
function applySuppressions(finding: Finding, machine: StateMachineModel): Finding {
  const match = machine.suppressions.find((s) =>
    suppressionCovers(s, finding.rule, finding.actions, finding.resources),
  );
  return match ? { ...finding, suppressed: { reason: match.reason } } : finding;
}

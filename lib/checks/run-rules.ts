// Rules on one machine's analysis → findings: a crashing rule becomes a rule-error finding, duplicates go,
// suppressions are applied.
import { globMatch } from '../iam/match';
import { displayValue } from '../model/arns';
import type { StateMachineModel } from '../model/state-machine';
import type { Finding, MachineAnalysis, Rule } from './types';

/** Run rules on one analysis; a rule that throws becomes a rule-error finding and the others still run. */
export function runRules(analysis: MachineAnalysis, rules: Rule[]): Finding[] {
  const { machine } = analysis;
  const findings: Finding[] = [];
  for (const rule of rules) {
    let drafts;
    try {
      drafts = rule.check(analysis);
    } catch (error) {
      drafts = [
        {
          message: `rule ${rule.id} failed on this state machine: ${(error as Error).message}`,
          severity: 'error' as const,
          fix: 'Report this as a dmap-guard bug; the other rules still ran.',
        },
      ];
      findings.push(toFinding({ ...rule, id: 'rule-error' }, machine, drafts[0] as (typeof drafts)[number]));
      continue;
    }
    for (const draft of drafts) findings.push(toFinding(rule, machine, draft));
  }
  const seen = new Set<string>();
  return findings
    .filter((f) => {
      const key = [f.rule, f.state, f.action, f.resource, f.message].join('|');
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map((finding) => applySuppressions(finding, machine));
}

function toFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'fix'>,
  machine: StateMachineModel,
  draft: ReturnType<Rule['check']>[number],
): Finding {
  const finding: Finding = {
    rule: rule.id,
    severity: draft.severity ?? rule.severity,
    template: machine.source,
    stateMachine: machine.id,
    state: draft.state ?? '$',
    action: draft.action ?? '',
    resource: displayValue(draft.resource ?? ''),
    message: displayValue(draft.message),
    fix: displayValue(draft.fix ?? rule.fix),
  };
  const origin = draft.origin ?? machine.origin;
  if (origin) finding.origin = origin;
  return finding;
}

function applySuppressions(finding: Finding, machine: StateMachineModel): Finding {
  const match = machine.suppressions.find(
    (s) =>
      s.rule === finding.rule &&
      (s.action === undefined || globMatch(s.action.toLowerCase(), finding.action.toLowerCase())) &&
      (s.resource === undefined || globMatch(s.resource, finding.resource)),
  );
  return match ? { ...finding, suppressed: { reason: match.reason } } : finding;
}

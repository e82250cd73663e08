// The check pipeline: needs → simulated requests → rules → findings (suppressions applied).
import { DefinitionError, parseDefinition } from '../asl/definition';
import type { AccessRequest } from '../iam';
import { globMatch } from '../iam/match';
import type { StateMachineModel } from '../model/state-machine';
import { deriveNeeds } from '../needs';
import { displayValue } from '../model/arns';
import type { Need, NeedsResult } from '../needs/types';
import { RULES } from './registry';
import { needRequests } from './requests';
import type { Simulator } from '../ports/simulator';
import { compileRole } from './role';
import type { Finding, MachineAnalysis, NeedResult, Rule } from './types';

const EMPTY_NEEDS: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [] };

function readNeeds(machine: StateMachineModel): {
  needs: NeedsResult;
  definitionError?: { path: string; message: string };
} {
  if (machine.definitionUnavailable !== undefined)
    return { needs: EMPTY_NEEDS, definitionError: { path: '$', message: machine.definitionUnavailable } };
  try {
    return { needs: deriveNeeds(parseDefinition(machine.definition), machine.context) };
  } catch (error) {
    if (error instanceof DefinitionError)
      return { needs: EMPTY_NEEDS, definitionError: { path: error.path, message: error.detail } };
    throw error;
  }
}

export interface CheckOptions {
  simulator: Simulator;
  rules?: Rule[];
}

/** Analyse state machines and run every rule on each; machines sharing a role are judged against all their needs. */
export async function checkStateMachines(
  machines: StateMachineModel[],
  options: CheckOptions,
): Promise<{ findings: Finding[]; analyses: MachineAnalysis[] }> {
  const prepared = machines.map((machine) => ({ machine, ...readNeeds(machine) }));
  const needsByRole = new Map<string, Need[]>();
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    needsByRole.set(machine.role.arn, [...(needsByRole.get(machine.role.arn) ?? []), ...needs.needs]);
  }

  const analyses: MachineAnalysis[] = [];
  for (const { machine, needs, definitionError } of prepared) {
    const role = machine.role;
    const needResults: NeedResult[] = [];
    if (role) {
      const simulated = needs.needs.filter((need) => !need.runtime);
      const requests = simulated.map((need) => needRequests(need, machine, role));
      const evaluations = await options.simulator.simulate(role, requests.flat());
      let offset = 0;
      simulated.forEach((need, index) => {
        const own = requests[index] as AccessRequest[];
        const results = own.map((request, i) => ({
          request,
          evaluation: evaluations[offset + i] as (typeof evaluations)[number],
        }));
        offset += own.length;
        const decisions = results.map((r) => r.evaluation.decision);
        const status = decisions.every((d) => d === 'allowed')
          ? 'allowed'
          : decisions.includes('explicitDeny') || role.unknown.length === 0
            ? 'denied'
            : 'unproven';
        needResults.push({ need, status, results });
      });
      for (const need of needs.needs.filter((n) => n.runtime))
        needResults.push({ need, status: 'runtime', results: [] });
    } else {
      for (const need of needs.needs)
        needResults.push({ need, status: need.runtime ? 'runtime' : 'unproven', results: [] });
    }
    const analysis: MachineAnalysis = {
      machine,
      needs,
      needResults,
      roleNeeds: role ? (needsByRole.get(role.arn) ?? []) : needs.needs,
      policyProblems: role ? compileRole(role).problems : [],
    };
    if (role) analysis.role = role;
    if (definitionError) analysis.definitionError = definitionError;
    analyses.push(analysis);
  }

  const findings: Finding[] = [];
  for (const analysis of analyses) findings.push(...runRules(analysis, options.rules ?? RULES));
  return { findings, analyses };
}

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

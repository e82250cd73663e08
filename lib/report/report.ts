// The check report: findings, per-machine summaries and totals, as data every renderer shares.
import { RULES } from '../checks/registry';
import type { Finding, MachineAnalysis, Severity } from '../checks/types';
import { SEVERITY_RANK } from '../checks/types';
import { compareCodeUnits } from '../model/compare';
import { leastPrivilegePolicy, type PolicyDocument } from '../needs/policy';
import { findingsInTemplateTerms, type FixRewriters } from './terms';

/** The levels `--fail-on`, the hook's FAIL_ON and the custom resource's FailOn take, most severe first. */
export const FAIL_ON_LEVELS = ['error', 'unverified', 'warning', 'info', 'never'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** A failOn level from input, or the fallback when the input names none of the levels. */
export function failOnOf(value: unknown, fallback: FailOn = 'error'): FailOn {
  return FAIL_ON_LEVELS.find((level) => level === value) ?? fallback;
}

/** PASS: every need proven; FAIL: an error; UNVERIFIED: no error, but something could not be decided. */
export type Verdict = 'pass' | 'fail' | 'unverified';

/** Rules tagged `unverified` report what dmap-guard could not decide (unverifiable, runtime-resource, …). */
const UNVERIFIED_RULES = new Set(RULES.filter((rule) => rule.tags.includes('unverified')).map((rule) => rule.id));

/** A finding about something dmap-guard could not decide (a reported error stays an error). */
export function isUnverified(finding: Finding): boolean {
  return finding.severity !== 'error' && UNVERIFIED_RULES.has(finding.rule);
}

/** Rank of a finding on the failOn scale: error > unverified > warning > info. */
const LEVEL_RANK: Record<Exclude<FailOn, 'never'>, number> = { info: 0, warning: 1, unverified: 2, error: 3 };
const levelOf = (finding: Finding): Exclude<FailOn, 'never'> =>
  isUnverified(finding) ? 'unverified' : finding.severity;

/** The verdict of one machine (or one hook target) from its findings; suppressed findings do not count. */
export function verdictOf(findings: Finding[]): Verdict {
  const active = findings.filter((f) => f.suppressed === undefined);
  return active.some((f) => f.severity === 'error') ? 'fail' : active.some(isUnverified) ? 'unverified' : 'pass';
}

export interface MachineSummary {
  template: string;
  stateMachine: string;
  arn: string;
  type: string;
  role?: string;
  distributedMaps: number;
  needs: number;
  verdict: Verdict;
  leastPrivilegePolicy: PolicyDocument;
}

export interface Report {
  findings: Finding[];
  stateMachines: MachineSummary[];
  summary: {
    stateMachines: number;
    errors: number;
    /** Machines with the verdict UNVERIFIED. */
    unverified: number;
    warnings: number;
    infos: number;
    suppressed: number;
    failOn: FailOn;
    failed: boolean;
  };
}

export function failsAt(finding: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && finding.suppressed === undefined && LEVEL_RANK[levelOf(finding)] >= LEVEL_RANK[failOn];
}

const ORDER = (a: Finding, b: Finding) =>
  compareCodeUnits(a.template, b.template) ||
  compareCodeUnits(a.stateMachine, b.stateMachine) ||
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
  compareCodeUnits(a.rule, b.rule) ||
  compareCodeUnits(a.state, b.state) ||
  compareCodeUnits(a.actions.join(', '), b.actions.join(', ')) ||
  compareCodeUnits(a.resources.join(', '), b.resources.join(', '));

export function buildReport(analyses: MachineAnalysis[], findings: Finding[], failOn: FailOn): Report {
  const sorted = [...findings].sort(ORDER);
  const active = sorted.filter((f) => f.suppressed === undefined);
  const byMachine = groupByMachine(active);
  const stateMachines = analyses.map((analysis): MachineSummary => {
    const { machine } = analysis;
    const own = byMachine.get(machineKey(machine.source, machine.id)) ?? [];
    const verdict = verdictOf(own);
    const summary: MachineSummary = {
      template: machine.source,
      stateMachine: machine.id,
      arn: machine.arn,
      type: machine.context.type,
      distributedMaps: analysis.needs.distributedMaps.length,
      needs: analysis.needs.needs.length,
      verdict,
      leastPrivilegePolicy: leastPrivilegePolicy(analysis.needs.needs),
    };
    if (machine.role) summary.role = machine.role.arn;
    return summary;
  });
  const count = (severity: Severity) => active.filter((f) => f.severity === severity).length;
  return {
    findings: sorted,
    stateMachines,
    summary: {
      stateMachines: analyses.length,
      errors: count('error'),
      unverified: stateMachines.filter((m) => m.verdict === 'unverified').length,
      warnings: count('warning'),
      infos: count('info'),
      suppressed: sorted.length - active.length,
      failOn,
      failed: sorted.some((f) => failsAt(f, failOn)),
    },
  };
}

export const machineKey = (template: string, stateMachine: string) => `${template}\u0000${stateMachine}`;

export function groupByMachine<F extends Pick<Finding, 'template' | 'stateMachine'>>(findings: F[]): Map<string, F[]> {
  const groups = new Map<string, F[]>();
  for (const finding of findings) {
    const key = machineKey(finding.template, finding.stateMachine);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return groups;
}

/** JSON output; with rewriters, fix texts and fixStatements are in the terms of each finding's template. */
export function renderJson(report: Report, rewriters?: FixRewriters): string {
  const findings = findingsInTemplateTerms(report.findings, rewriters).map(
    ({ origin: _origin, ...finding }) => finding,
  );
  return `${JSON.stringify({ ...report, findings }, null, 2)}\n`;
}

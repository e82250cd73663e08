// The check report: findings, per-machine summaries and totals, as data every renderer shares.
import type { Finding, MachineAnalysis, Severity } from '../checks/types';
import { SEVERITY_RANK } from '../checks/types';
import { leastPrivilegePolicy, type PolicyDocument } from '../needs/policy';
import { findingsInTemplateTerms, type FixRewriters } from './terms';

export type FailOn = Severity | 'never';

export interface MachineSummary {
  template: string;
  stateMachine: string;
  arn: string;
  type: string;
  role?: string;
  distributedMaps: number;
  needs: number;
  verdict: 'pass' | 'fail' | 'unverified';
  leastPrivilegePolicy: PolicyDocument;
}

export interface Report {
  findings: Finding[];
  stateMachines: MachineSummary[];
  summary: {
    stateMachines: number;
    errors: number;
    warnings: number;
    infos: number;
    suppressed: number;
    failOn: FailOn;
    failed: boolean;
  };
}

export function failsAt(finding: Finding, failOn: FailOn): boolean {
  return (
    failOn !== 'never' && finding.suppressed === undefined && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]
  );
}

const ORDER = (a: Finding, b: Finding) =>
  a.template.localeCompare(b.template) ||
  a.stateMachine.localeCompare(b.stateMachine) ||
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
  a.rule.localeCompare(b.rule) ||
  a.state.localeCompare(b.state) ||
  a.actions.join(', ').localeCompare(b.actions.join(', ')) ||
  a.resources.join(', ').localeCompare(b.resources.join(', '));

export function buildReport(analyses: MachineAnalysis[], findings: Finding[], failOn: FailOn): Report {
  const sorted = [...findings].sort(ORDER);
  const active = sorted.filter((f) => f.suppressed === undefined);
  const byMachine = groupByMachine(active);
  const stateMachines = analyses.map((analysis): MachineSummary => {
    const { machine } = analysis;
    const own = byMachine.get(machineKey(machine.source, machine.id)) ?? [];
    const verdict = own.some((f) => f.severity === 'error')
      ? 'fail'
      : own.some((f) => f.rule === 'unverifiable-policy')
        ? 'unverified'
        : 'pass';
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

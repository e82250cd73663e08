// Text output: findings grouped per state machine, most severe first, with the least-privilege policy to paste.
import { stringify } from 'yaml';
import type { Finding } from '../checks/types';
import { groupByMachine, machineKey, type Report } from './report';

const LABEL: Record<Finding['severity'], string> = { error: 'error  ', warning: 'warning', info: 'info   ' };

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`))
    .join('\n');
}

export function renderText(report: Report): string {
  const out: string[] = [];
  const byMachine = groupByMachine(report.findings);
  for (const machine of report.stateMachines) {
    const findings = byMachine.get(machineKey(machine.template, machine.stateMachine)) ?? [];
    const active = findings.filter((f) => !f.suppressed);
    out.push(
      `${machine.template}: ${machine.stateMachine} (${machine.type}, ${machine.distributedMaps} Distributed Map${machine.distributedMaps === 1 ? '' : 's'}) — ${machine.verdict.toUpperCase()}`,
    );
    if (machine.role) out.push(`  role ${machine.role}`);
    for (const finding of active) {
      const where = finding.line !== undefined ? ` (line ${finding.line})` : '';
      out.push(`  ${LABEL[finding.severity]} ${finding.rule}${where}: ${finding.message}`);
      if (finding.severity !== 'info') out.push(indent(`fix: ${finding.fix}`, 10));
    }
    const suppressed = findings.length - active.length;
    if (suppressed > 0) out.push(`  (${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed)`);
    if (
      active.some(
        (f) =>
          f.rule === 'missing-permission' ||
          f.rule === 'over-broad-grant' ||
          f.rule === 'missing-recommended-permission',
      )
    ) {
      out.push('  Least-privilege policy for this state machine (YAML, paste as a PolicyDocument):');
      out.push(indent(stringify(machine.leastPrivilegePolicy).trimEnd(), 4));
    }
    out.push('');
  }
  if (report.stateMachines.length === 0)
    out.push('No state machine found (AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine).');
  const s = report.summary;
  const unverified = s.unverified;
  out.push(
    `${s.stateMachines} state machine${s.stateMachines === 1 ? '' : 's'}: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info${s.suppressed > 0 ? `, ${s.suppressed} suppressed` : ''} — ${s.failed ? `FAILED (--fail-on ${s.failOn})` : unverified > 0 ? `UNVERIFIED: ${unverified} state machine${unverified === 1 ? '' : 's'} could not be verified (the unverifiable findings say what to do)` : 'passed'}`,
  );
  return `${out.join('\n')}\n`;
}

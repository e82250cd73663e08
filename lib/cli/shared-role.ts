// A role several state machines share has its over-broad grants found once per machine; they are one finding
// about the role, reported once with the machines that use it.
import type { Finding, MachineAnalysis } from '../checks/types';

export function groupSharedRoleFindings(findings: Finding[], analyses: MachineAnalysis[]): Finding[] {
  const roleOf = new Map(analyses.map((a) => [`${a.machine.source}\u0000${a.machine.id}`, a.machine.role?.arn]));
  const groups = new Map<string, Finding[]>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const role = roleOf.get(`${finding.template}\u0000${finding.stateMachine}`);
    if (finding.rule !== 'over-broad-grant' || role === undefined || finding.suppressed) {
      kept.push(finding);
      continue;
    }
    const key = [role, finding.state, ...finding.actions, ...finding.resources, finding.message].join('\u0000');
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      groups.set(key, [finding]);
      kept.push(finding);
    }
  }
  return kept.map((finding) => {
    const role = roleOf.get(`${finding.template}\u0000${finding.stateMachine}`);
    const key = [role, finding.state, ...finding.actions, ...finding.resources, finding.message].join('\u0000');
    const group = groups.get(key);
    if (!group || group.length < 2 || group[0] !== finding) return finding;
    const machines = group.map((f) => f.stateMachine);
    return { ...finding, message: `${finding.message} Role ${role} is shared by ${machines.join(', ')}.` };
  });
}

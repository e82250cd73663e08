// A role's own documents and grants are judged once, against the union of its machines' needs, and reported on
// the first state machine that uses it, naming the others: a shared role would otherwise repeat every finding
// (and every fix listing all its machines' resources) once per machine.
import type { MachineAnalysis } from './types';

/** How many names a message lists before "and N more"; the finding's data stays complete where it must. */
export const NAMES_LISTED = 5;

/** A list for a message: the first few names, then how many more. */
export function namesOf(names: readonly string[], listed = NAMES_LISTED): string {
  if (names.length <= listed) return names.join(', ');
  return `${names.slice(0, listed).join(', ')} and ${names.length - listed} more`;
}

/** Whether this analysis reports the findings about its role (it is the first machine using the role). */
export function reportsForRole(analysis: MachineAnalysis): boolean {
  const [first] = analysis.roleMachines;
  return first === undefined || first === analysis.machine;
}

/** " Role R is also used by A, B and 3 more." for a shared role, else "". */
export function sharedRoleNote(analysis: MachineAnalysis): string {
  if (!analysis.role) return '';
  const others = analysis.roleMachines.filter((m) => m !== analysis.machine).map((m) => m.id);
  return others.length > 0 ? ` Role ${analysis.role.arn} is also used by ${namesOf(others)}.` : '';
}

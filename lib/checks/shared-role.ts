// A role's own documents and grants are judged once, against the union of its machines' needs, and each finding
// about them is reported on one state machine that uses the role, naming the others: a shared role would
// otherwise repeat every finding (and every fix listing all its machines' resources) once per machine.
import { displayValue } from '../model/arns';
import type { StateMachineModel } from '../model/state-machine';
import { suppressionCovers } from './suppression-match';
import type { FindingDraft, MachineAnalysis } from './types';

/** How many names a message lists before "and N more"; the finding's data stays complete where it must. */
export const NAMES_LISTED = 5;

/** A list for a message: the first few names, then how many more. */
export function namesOf(names: readonly string[], listed = NAMES_LISTED): string {
  if (names.length <= listed) return names.join(', ');
  return `${names.slice(0, listed).join(', ')} and ${names.length - listed} more`;
}

/** " Role R is also used by A, B and 3 more." for a shared role, else "". */
function sharedRoleNote(analysis: MachineAnalysis): string {
  if (!analysis.role) return '';
  const others = analysis.roleMachines.filter((m) => m !== analysis.machine).map((m) => m.id);
  return others.length > 0 ? ` Role ${analysis.role.arn} is also used by ${namesOf(others)}.` : '';
}

/** Per role (its machines' list) and rule: the drafts each machine reports. */
const byRole = new WeakMap<readonly StateMachineModel[], Map<string, Map<StateMachineModel, FindingDraft[]>>>();

/**
 * The role-level drafts this machine reports, with `{{shared}}` (sharedRoleNote) in their data. They are computed
 * once per role, and each goes to the first machine on the role whose suppressions do not cover it — a suppression
 * speaks for its own machine, and the others still see the finding — or to the first machine, where it is
 * suppressed, when every machine suppresses it.
 */
export function roleDrafts<Draft extends FindingDraft>(
  analysis: MachineAnalysis,
  rule: string,
  compute: () => Draft[],
): Draft[] {
  const shared = sharedRoleNote(analysis);
  return reportedHere(analysis, rule, compute).map((draft) => ({ ...draft, data: { ...draft.data, shared } }));
}

function reportedHere<Draft extends FindingDraft>(
  analysis: MachineAnalysis,
  rule: string,
  compute: () => Draft[],
): Draft[] {
  const machines = analysis.roleMachines;
  if (machines.length <= 1) return compute();
  let rules = byRole.get(machines);
  if (!rules) byRole.set(machines, (rules = new Map()));
  let reporters = rules.get(rule);
  if (!reporters) {
    reporters = new Map();
    for (const draft of compute()) {
      const actions = draft.actions ?? [];
      const resources = (draft.resources ?? []).map(displayValue);
      const reporter =
        machines.find((m) => !m.suppressions.some((s) => suppressionCovers(s, rule, actions, resources))) ??
        (machines[0] as StateMachineModel);
      const list = reporters.get(reporter);
      if (list) list.push(draft);
      else reporters.set(reporter, [draft]);
    }
    rules.set(rule, reporters);
  }
  return (reporters.get(analysis.machine) ?? []) as Draft[];
}

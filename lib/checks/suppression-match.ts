// Whether a suppression covers a finding: the rule, and its action and resource patterns (when given) cover every
// action and resource the finding names.
import { globMatch } from '../iam/match';
import type { Suppression } from '../model/state-machine';

export function suppressionCovers(
  suppression: Suppression,
  rule: string,
  actions: readonly string[],
  resources: readonly string[],
): boolean {
  const covers = (pattern: string | undefined, values: readonly string[], fold: (s: string) => string) =>
    pattern === undefined || (values.length === 0 ? [''] : values).every((v) => globMatch(fold(pattern), fold(v)));
  return (
    suppression.rule === rule &&
    covers(suppression.action, actions, (a) => a.toLowerCase()) &&
    covers(suppression.resource, resources, (r) => r)
  );
}

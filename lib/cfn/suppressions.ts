// Suppressions, as written in a resource's Metadata or a --config file.
import { InputError } from '../model/errors';
import { isRecord } from '../model/json';
import type { Suppression } from '../model/state-machine';
import type { TemplateAnalysis } from './template';

export function suppressionsOf(t: TemplateAnalysis, id: string): Suppression[] {
  const metadata = t.resource(id)?.Metadata;
  const block = isRecord(metadata) ? metadata['dmap-guard'] : undefined;
  if (block === undefined) return [];
  return parseSuppressions(
    isRecord(block) ? block.suppress : block,
    t.file,
    `Resources.${id}.Metadata.dmap-guard.suppress`,
  );
}

/** Rule ids that were renamed: suppressions written for the old id keep working. */
export const RULE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['unverifiable-policy', 'unverifiable'],
  ['unmodeled-integration', 'unverifiable'],
]);

/** Suppressions as written in template Metadata or a --config file; a missing reason is an input error. */
export function parseSuppressions(value: unknown, file: string, path: string): Suppression[] {
  if (!Array.isArray(value)) throw new InputError(file, 'expected a list of {rule, reason}', { path });
  return value.map((entry, index) => {
    const where = `${path}[${index}]`;
    if (!isRecord(entry) || typeof entry.rule !== 'string' || entry.rule === '')
      throw new InputError(file, 'expected {rule, reason} with a rule id', { path: where });
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
      throw new InputError(file, `suppressing ${entry.rule} needs a reason`, { path: `${where}.reason` });
    const suppression: Suppression = { rule: RULE_ALIASES.get(entry.rule) ?? entry.rule, reason: entry.reason };
    if (typeof entry.action === 'string') suppression.action = entry.action;
    if (typeof entry.resource === 'string') suppression.resource = entry.resource;
    return suppression;
  });
}

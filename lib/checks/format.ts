// The one place message and fix text is made: a rule's template by id, with {{name}} filled from named data.
import type { MessageData } from './types';

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Fill a template; a template id or placeholder the data lacks is a bug in the rule, so it throws. */
export function formatTemplate(
  templates: Readonly<Record<string, string>>,
  id: string,
  data: MessageData,
  ruleId: string,
): string {
  const template = Object.hasOwn(templates, id) ? templates[id] : undefined;
  if (template === undefined) throw new Error(`rule ${ruleId} has no message ${id}`);
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined) throw new Error(`message ${ruleId}/${id} needs {{${name}}}`);
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value.join(', ');
  });
}

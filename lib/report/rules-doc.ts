// The findings reference for the README, generated from the rule registry.
import type { RuleMeta } from '../checks/types';

/** A Markdown code span that survives backticks and line breaks in the text. */
function code(text: string): string {
  const flat = text.replace(/\n/g, '\\n');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

export function rulesReference(rules: RuleMeta[]): string {
  const lines = ['| Rule | Severity | Tags | What it means |', '| --- | --- | --- | --- |'];
  for (const rule of rules)
    lines.push(`| [\`${rule.id}\`](#rule-${rule.id}) | ${rule.severity} | ${rule.tags.join(', ')} | ${rule.summary} |`);
  for (const rule of rules) {
    lines.push(
      '',
      `#### <a id="rule-${rule.id}"></a>\`${rule.id}\` (${rule.severity})`,
      '',
      rule.summary,
      '',
      `**Why:** ${rule.why}`,
      '',
      `**Fix:** ${rule.fix}`,
      '',
      `**Reference:** ${rule.docs}`,
      '',
      `**Tags:** ${rule.tags.map(code).join(', ')}`,
      '',
      '**Messages** (`messageId` in JSON and SARIF output):',
      '',
      ...Object.entries(rule.messages).map(([id, template]) => `- \`${id}\`: ${code(template)}`),
    );
  }
  return lines.join('\n');
}

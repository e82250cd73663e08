// The findings reference for the README, generated from the rule registry.
import type { RuleMeta } from '../checks/types';

export function rulesReference(rules: RuleMeta[]): string {
  const lines = ['| Rule | Severity | What it means |', '| --- | --- | --- |'];
  for (const rule of rules) lines.push(`| [\`${rule.id}\`](#rule-${rule.id}) | ${rule.severity} | ${rule.summary} |`);
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
    );
  }
  return lines.join('\n');
}

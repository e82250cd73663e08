// dmap-guard rules: the rule ids, their levels and where they are documented, from the registry.
import { Option, type Command } from '@commander-js/extra-typings';
import { RULES } from '../../checks/registry';
import { choice } from '../args';
import type { CommandContext } from '../io';

export function registerRules(program: Command, context: CommandContext): void {
  program
    .command('rules')
    .description('list the rules: id, level and documentation')
    .addOption(new Option('--format <text|json>', 'output format (default text)').argParser(choice(['text', 'json'])))
    .action((options) => {
      const rules = RULES.map((r) => ({
        id: r.id,
        level: r.severity,
        summary: r.summary,
        docs: r.docs,
        reference: `README.md#rule-${r.id}`,
      }));
      if (options.format === 'json') context.io.out(`${JSON.stringify(rules, null, 2)}\n`);
      else {
        const width = Math.max(...rules.map((r) => r.id.length));
        for (const r of rules)
          context.io.out(
            `${r.id.padEnd(width)}  ${r.level.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${r.docs}\n`,
          );
      }
      context.exit(0);
    });
}

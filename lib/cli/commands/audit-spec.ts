// The audit command, registered apart from its runner so that the AWS SDK loads only when audit runs.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../io';
import { defineAudit } from './audit-options';

export function registerAudit(program: Command, context: CommandContext): void {
  defineAudit(program).action(async (options) =>
    context.exit(await (await import('./audit')).runAudit(options, context.io)),
  );
}

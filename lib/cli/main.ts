// dmap-guard command line: commander parses the commands and their options; errors map to exit codes
// (2 = usage or unreadable input, printed as one line).
import { Command, CommanderError } from '@commander-js/extra-typings';
import { AwsUsageError } from '../aws/errors';
import { ResolutionLimitError } from '../cfn/intrinsics';
import { InputError } from '../model/errors';
import { joinLines } from '../report/message';
import { UsageError } from './args';
import { registerAudit } from './commands/audit-spec';
import { registerCheck } from './commands/check';
import { registerHook } from './commands/hook';
import { registerPolicy } from './commands/policy';
import { registerRules } from './commands/rules';
import { registerSimulate } from './commands/simulate-custom-policy';
import { processIO, type CliIO, type CommandContext } from './io';
import { VERSION } from './version';

function program(context: CommandContext): Command {
  const { io } = context;
  const root = new Command('dmap-guard')
    .description('Checks that Step Functions Distributed Map execution roles grant exactly what the definition needs.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text.trimEnd()),
      // Errors are printed once, by main, in the CLI's own one-line form.
      outputError: () => undefined,
      ...(io.terminal?.stdoutIsTTY && io.terminal.columns ? { getOutHelpWidth: () => io.terminal?.columns ?? 80 } : {}),
    });
  registerCheck(root, context);
  registerPolicy(root, context);
  registerSimulate(root, context);
  registerAudit(root, context);
  registerHook(root, context);
  registerRules(root, context);
  return root;
}

/** Commander's message in the CLI's form: "check: unknown option --verbose", "--format must be one of …". */
function usageMessage(error: CommanderError, command: string | undefined): string {
  const text = joinLines(error.message.replace(/^error: /, ''));
  const invalid = /^option '(--[\w-]+)[^']*' argument '[^']*' is invalid\. (.*)$/s.exec(text);
  const missing = /^missing required argument '(.+)'$/.exec(text);
  const noValue = /^option '(--[\w-]+) (<[^>]+>)' argument missing$/.exec(text);
  const message = invalid
    ? `${invalid[1]} ${invalid[2]}`
    : missing
      ? `expected at least 1 ${missing[1]} argument`
      : noValue
        ? `${noValue[1]} needs a value ${noValue[2]}`
        : text.replace(/'(--?[\w-]+)'/g, '$1');
  return command !== undefined && !message.startsWith(`${command}:`) ? `${command}: ${message}` : message;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let code = 0;
  const root = program({ io, exit: (c) => (code = c) });
  if (argv.length === 0) {
    io.out(root.helpInformation());
    return 2;
  }
  const command = root.commands.find((c) => c.name() === argv[0])?.name();
  try {
    await root.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      io.err(`dmap-guard: ${usageMessage(error, command)}${command ? ` (see dmap-guard ${command} --help)` : ''}`);
      return 2;
    }
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      error instanceof AwsUsageError ||
      error instanceof ResolutionLimitError
    ) {
      io.err(`dmap-guard: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

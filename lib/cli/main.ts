// dmap-guard command line: dispatches to a command and maps errors to exit codes (2 = usage or unreadable input).
import { ResolutionLimitError } from '../cfn/intrinsics';
import { InputError } from '../model/errors';
import { helpText, UsageError, type CommandSpec } from './args';
import { policySpec, runPolicy } from './commands/policy';
import { runSimulateCustomPolicy, simulateSpec } from './commands/simulate-custom-policy';
import { processIO, type CliIO } from './io';
import { VERSION } from './version';
import { auditSpec } from './commands/audit-spec';
import { checkSpec, runCheck } from './commands/check';
import { hookSpec, runHook } from './commands/hook';

type Runner = (argv: string[], io: CliIO) => number | Promise<number>;

const COMMANDS: Array<{ spec: CommandSpec; run: Runner }> = [
  { spec: checkSpec, run: runCheck },
  { spec: policySpec, run: runPolicy },
  { spec: simulateSpec, run: runSimulateCustomPolicy },
  // The AWS SDK is loaded only when audit runs: every other command starts without it.
  { spec: auditSpec, run: async (argv, io) => (await import('./commands/audit')).runAudit(argv, io) },
  { spec: hookSpec, run: runHook },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  return [
    `dmap-guard ${VERSION}: checks that Step Functions Distributed Map execution roles grant exactly what the definition needs.`,
    '',
    'Usage: dmap-guard <command> [options]   (dmap-guard <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${mainHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    io.err(`dmap-guard: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${helpText(command.spec)}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError || error instanceof ResolutionLimitError) {
      io.err(`dmap-guard: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

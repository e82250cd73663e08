// dmap-guard policy: print the least-privilege policy for a definition.
import { stringify } from 'yaml';
import { DefinitionError, parseDefinition } from '../../asl/definition';
import { readDocumentFile } from '../../cfn/load';
import { InputError } from '../../model/errors';
import { parseStateMachineArn } from '../../model/arns';
import { deriveNeeds } from '../../needs';
import { leastPrivilegePolicy } from '../../needs/policy';
import { parseArgs, parsePairs, UsageError, type CommandSpec } from '../args';
import type { CliIO } from '../io';

export const policySpec: CommandSpec = {
  name: 'policy',
  summary: 'print the least-privilege execution role policy for a state machine definition',
  usage:
    'dmap-guard policy <definition.json|yaml> --state-machine-arn <arn> [--state-machine-type STANDARD|EXPRESS] [--kms-key <bucket>=<keyArn>]... [--format json|yaml]',
  positionals: { min: 1, max: 1, name: 'definition file' },
  options: {
    'state-machine-arn': {
      kind: 'string',
      placeholder: 'arn',
      help: 'ARN of the state machine (its name scopes StartExecution and execution ARNs)',
    },
    'state-machine-type': {
      kind: 'string',
      choices: ['STANDARD', 'EXPRESS'],
      help: 'type of the state machine (default STANDARD)',
    },
    'kms-key': { kind: 'list', placeholder: 'bucket=keyArn', help: 'a bucket that uses SSE-KMS and its key' },
    format: { kind: 'string', choices: ['json', 'yaml'], help: 'output format (default json)' },
  },
};

export function runPolicy(argv: string[], io: CliIO): number {
  const args = parseArgs(argv, policySpec);
  const arn = args.strings['state-machine-arn'];
  if (arn === undefined) throw new UsageError('policy: --state-machine-arn is required');
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new UsageError(
      `policy: --state-machine-arn must look like arn:aws:states:<region>:<account>:stateMachine:<name>; got "${arn}"`,
    );
  const file = args.positionals[0] as string;
  const doc = readDocumentFile(file);
  let definition;
  try {
    definition = parseDefinition(doc.value);
  } catch (error) {
    if (error instanceof DefinitionError) throw new InputError(file, error.detail, { path: error.path });
    throw error;
  }
  const result = deriveNeeds(definition, {
    ...parts,
    type: (args.strings['state-machine-type'] as 'STANDARD' | 'EXPRESS' | undefined) ?? 'STANDARD',
    bucketKeys: parsePairs(args.lists['kms-key'] ?? [], 'kms-key'),
    logging: false,
    tracing: false,
  });
  const policy = leastPrivilegePolicy(result.needs);
  io.out(args.strings.format === 'yaml' ? stringify(policy) : `${JSON.stringify(policy, null, 2)}\n`);
  for (const problem of result.problems) io.err(`warning: ${problem.state}.${problem.field}: ${problem.message}`);
  for (const need of result.needs.filter((n) => n.runtime)) {
    io.err(
      `note: statement ${need.sid} (${need.actions.join(', ')}) uses a wildcard for ${need.runtimeExpression ?? 'a run-time value'} (${need.source.state}); scope it to what the path resolves to at run time`,
    );
  }
  for (const task of result.unmodeled)
    io.err(`note: ${task.state}: dmap-guard does not know the permissions of ${task.resource}; add them by hand`);
  return 0;
}

// dmap-guard policy: print the least-privilege policy for a definition.
import { stringify } from 'yaml';
import { DefinitionError, parseDefinition } from '../../asl/definition';
import { readDocumentFile } from '../../cfn/load';
import { InputError } from '../../model/errors';
import { parseStateMachineArn } from '../../model/arns';
import { deriveBaseNeeds } from '../../needs';
import { applySubstitutions } from '../../cfn/intrinsics';
import { own } from '../../model/json';
import { leastPrivilegePolicy } from '../../needs/policy';
import { Option, type Command } from '@commander-js/extra-typings';
import { compareCodeUnits } from '../../model/compare';
import { choice, parsePairs, single, UsageError } from '../args';
import { unusedBucketKeyWarning } from '../bucket-keys';
import type { CliIO, CommandContext } from '../io';

function definePolicy(program: Command) {
  return program
    .command('policy')
    .description('print the least-privilege execution role policy for a state machine definition')
    .argument('<definition>', 'definition file (JSON or YAML)')
    .addOption(
      new Option(
        '--state-machine-arn <arn>',
        'ARN of the state machine (its name scopes StartExecution and execution ARNs)',
      ).argParser(single),
    )
    .addOption(
      new Option('--state-machine-type <STANDARD|EXPRESS>', 'type of the state machine (default STANDARD)').argParser(
        choice(['STANDARD', 'EXPRESS']),
      ),
    )
    .option('--kms-key <bucket=keyArn...>', 'a bucket that uses SSE-KMS and its key')
    .option(
      '--substitution <Key=Value...>',
      'fills ${Key} in the definition, as DefinitionSubstitutions do (a SAM or CloudFormation definition file)',
    )
    .addOption(new Option('--format <json|yaml>', 'output format (default json)').argParser(choice(['json', 'yaml'])));
}

type PolicyOptions = ReturnType<ReturnType<typeof definePolicy>['opts']>;

export function registerPolicy(program: Command, context: CommandContext): void {
  definePolicy(program).action((file, options) => context.exit(runPolicy(file, options, context.io)));
}

function runPolicy(file: string, args: PolicyOptions, io: CliIO): number {
  const arn = args.stateMachineArn;
  if (arn === undefined) throw new UsageError('policy: --state-machine-arn is required');
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new UsageError(
      `policy: --state-machine-arn must look like arn:aws:states:<region>:<account>:stateMachine:<name>; got "${arn}"`,
    );
  const doc = readDocumentFile(file);
  const substitutions = parsePairs(args.substitution ?? [], 'substitution');
  let definition;
  try {
    definition = parseDefinition(applySubstitutions(doc.value, substitutions));
  } catch (error) {
    if (error instanceof DefinitionError) throw new InputError(file, error.detail, { path: error.path });
    throw error;
  }
  const bucketKeys = parsePairs(args.kmsKey ?? [], 'kms-key');
  const base = deriveBaseNeeds(definition, {
    ...parts,
    type: args.stateMachineType ?? 'STANDARD',
    bucketKeys,
    logging: false,
    tracing: false,
  });
  const result = base.withBucketKeys((bucket) => own(bucketKeys, bucket));
  const policy = leastPrivilegePolicy(result.needs);
  io.out(args.format === 'yaml' ? stringify(policy) : `${JSON.stringify(policy, null, 2)}\n`);
  for (const bucket of Object.keys(bucketKeys).filter((b) => !base.keyedBuckets.includes(b)))
    io.err(unusedBucketKeyWarning('--kms-key', bucket, file, [...base.keyedBuckets].sort(compareCodeUnits)));
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

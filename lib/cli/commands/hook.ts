// dmap-guard hook: run the real hook handler on an event file, offline, and print its response.
import { readFileSync } from 'node:fs';
import { readDocumentFile } from '../../cfn/load';
import { readResourcePolicies } from '../../inputs/resource-policies';
import { InputError } from '../../model/errors';
import { EmbeddedBackend } from '../../offline/backend';
import { hookConfig } from '../../lambda/hook/config';
import { handleHookRequest } from '../../lambda/hook/handle';
import { Option, type Command } from '@commander-js/extra-typings';
import { parsePairs, single } from '../args';
import type { CliIO, CommandContext } from '../io';
import { readSnapshot } from './check';

function defineHook(program: Command) {
  return program
    .command('hook')
    .description('run the CloudFormation Lambda Hook handler on an event file offline and print its response')
    .argument('<event>', 'Lambda Hook request (JSON)')
    .addOption(
      new Option(
        '--snapshot <file>',
        'roles and managed policies of the account (aws iam get-account-authorization-details)',
      ).argParser(single),
    )
    .addOption(
      new Option(
        '--stack-template <file>',
        "the stack's template (what GetTemplate would return; also the STACK payload)",
      ).argParser(single),
    )
    .option('--bucket-key <bucket=keyArn...>', 'SSE-KMS key of a bucket')
    .addOption(
      new Option(
        '--resource-policies <file>',
        'key and bucket policies the hook would read from the account: JSON {"<key or bucket ARN>": <policy>}',
      ).argParser(single),
    );
}

type HookOptions = ReturnType<ReturnType<typeof defineHook>['opts']>;

export function registerHook(program: Command, context: CommandContext): void {
  defineHook(program).action(async (file, options) => context.exit(await runHook(file, options, context.io)));
}

async function runHook(eventFile: string, args: HookOptions, io: CliIO): Promise<number> {
  const event = readDocumentFile(eventFile).value;
  if (typeof event !== 'object' || event === null)
    throw new InputError(eventFile, 'expected a Lambda Hook request object');
  const templateFile = args.stackTemplate;
  let stackTemplate: string | undefined;
  if (templateFile !== undefined) {
    readDocumentFile(templateFile); // a clear error for a missing or malformed file
    stackTemplate = readFileSync(templateFile, 'utf8');
  }
  const backend = new EmbeddedBackend({
    ...(args.snapshot !== undefined ? { snapshot: readSnapshot(args.snapshot) } : {}),
    ...(stackTemplate !== undefined ? { stackTemplate } : {}),
    bucketKeys: parsePairs(args.bucketKey ?? [], 'bucket-key'),
    ...(args.resourcePolicies !== undefined ? { resourcePolicies: readResourcePolicies(args.resourcePolicies) } : {}),
  });
  const { response } = await handleHookRequest(event, () => backend, hookConfig(process.env));
  io.out(`${JSON.stringify(response, null, 2)}\n`);
  return response.hookStatus === 'FAILED' ? 1 : 0;
}

// dmap-guard hook: run the real hook handler on an event file, offline, and print its response.
import { readFileSync } from 'node:fs';
import { readDocumentFile } from '../../cfn/load';
import { InputError } from '../../model/errors';
import { EmbeddedBackend } from '../../offline/backend';
import { hookConfig } from '../../lambda/hook/config';
import { handleHookRequest } from '../../lambda/hook/handle';
import { parseArgs, parsePairs, type CommandSpec } from '../args';
import type { CliIO } from '../io';
import { readSnapshot } from './check';

export const hookSpec: CommandSpec = {
  name: 'hook',
  summary: 'run the CloudFormation Lambda Hook handler on an event file offline and print its response',
  usage:
    'dmap-guard hook <event.json> [--snapshot <get-account-authorization-details.json>] [--stack-template <file>] [--bucket-key <bucket>=<keyArn>]...',
  positionals: { min: 1, max: 1, name: 'event file' },
  options: {
    snapshot: {
      kind: 'string',
      placeholder: 'file',
      help: 'roles and managed policies of the account (aws iam get-account-authorization-details)',
    },
    'stack-template': {
      kind: 'string',
      placeholder: 'file',
      help: "the stack's template (what GetTemplate would return; also the STACK payload)",
    },
    'bucket-key': { kind: 'list', placeholder: 'bucket=keyArn', help: 'SSE-KMS key of a bucket' },
  },
};

export async function runHook(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, hookSpec);
  const eventFile = args.positionals[0] as string;
  const event = readDocumentFile(eventFile).value;
  if (typeof event !== 'object' || event === null)
    throw new InputError(eventFile, 'expected a Lambda Hook request object');
  const templateFile = args.strings['stack-template'];
  let stackTemplate: string | undefined;
  if (templateFile !== undefined) {
    readDocumentFile(templateFile); // a clear error for a missing or malformed file
    stackTemplate = readFileSync(templateFile, 'utf8');
  }
  const backend = new EmbeddedBackend({
    ...(args.strings.snapshot !== undefined ? { snapshot: readSnapshot(args.strings.snapshot) } : {}),
    ...(stackTemplate !== undefined ? { stackTemplate } : {}),
    bucketKeys: parsePairs(args.lists['bucket-key'] ?? [], 'bucket-key'),
  });
  const { response } = await handleHookRequest(event, () => backend, hookConfig(process.env));
  io.out(`${JSON.stringify(response, null, 2)}\n`);
  return response.hookStatus === 'FAILED' ? 1 : 0;
}

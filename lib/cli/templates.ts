// Template arguments: a file, `-` (standard input), a folder of templates, or a CDK cloud assembly (cdk.out).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DOCUMENT_BYTES, parseDocumentText, readDocumentFile, type LoadedDocument } from '../cfn/load';
import { isCloudAssembly, readCloudAssembly } from '../inputs/cdk-assembly';
import { compareCodeUnits } from '../model/compare';
import { InputError } from '../model/errors';
import type { CliIO } from './io';

export interface TemplateInput {
  doc: LoadedDocument;
  /** The CDK stack (construct path) the template belongs to. */
  stack?: string;
}

export const STDIN_LABEL = '<stdin>';
/** Folders skipped while looking for templates, unless given themselves: dependencies, history, build output. */
const SKIPPED = new Set(['node_modules', '.git', 'cdk.out', '.aws-sam']);
const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;
const STATE_MACHINE_TYPE = /AWS::(StepFunctions|Serverless)::StateMachine/;
/** A folder walk reads at most this many entries. */
const MAX_ENTRIES = 20_000;

function templatesInFolder(root: string): string[] {
  const found: string[] = [];
  let seen = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name))) {
      if (++seen > MAX_ENTRIES) throw new InputError(root, `more than ${MAX_ENTRIES} files; name the templates`);
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (entry.isFile() && TEMPLATE_FILE.test(entry.name) && statSync(path).size <= MAX_DOCUMENT_BYTES) {
        if (STATE_MACHINE_TYPE.test(readFileSync(path, 'utf8'))) found.push(path);
      }
    }
  };
  walk(root);
  return found;
}

async function stdinDocument(io: CliIO): Promise<LoadedDocument> {
  if (!io.readStdin) throw new InputError(STDIN_LABEL, 'standard input is not available');
  const text = await io.readStdin(MAX_DOCUMENT_BYTES);
  if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES)
    throw new InputError(STDIN_LABEL, `more than ${MAX_DOCUMENT_BYTES} bytes; at most that many are read`);
  return parseDocumentText(text, STDIN_LABEL);
}

export async function readTemplates(args: string[], io: CliIO): Promise<TemplateInput[]> {
  const inputs: TemplateInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ doc: await stdinDocument(io) });
      continue;
    }
    let isFolder = false;
    try {
      isFolder = statSync(arg).isDirectory();
    } catch {
      // readDocumentFile names a missing file below
    }
    if (!isFolder) inputs.push({ doc: readDocumentFile(arg) });
    else if (isCloudAssembly(arg))
      inputs.push(...readCloudAssembly(arg).map((s) => ({ doc: readDocumentFile(s.templateFile), stack: s.name })));
    else {
      const files = templatesInFolder(arg);
      if (files.length === 0)
        throw new InputError(
          arg,
          'no YAML or JSON template with AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine in this folder',
        );
      inputs.push(...files.map((file) => ({ doc: readDocumentFile(file) })));
    }
  }
  return inputs;
}

// The templates one CDK stack synthesizes: its own and its NestedStacks', which CDK leaves out of the plugin's
// templatePaths but lists in the stack's asset manifest (<Stack>.assets.json beside <Stack>.template.json).
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readDocumentFile } from '../cfn/load';
import { isRecord } from '../model/json';

const NESTED_TEMPLATE = /\.nested\.template\.json$/;
/** At most this many templates are read for one stack, so a manifest loop or a huge tree stays bounded. */
const MAX_TEMPLATES = 1000;

/** The stack's template followed by every nested stack template its asset manifests list, each once. */
export function stackTemplates(templatePath: string): string[] {
  const found = [resolve(templatePath)];
  const seen = new Set(found);
  for (let index = 0; index < found.length && found.length < MAX_TEMPLATES; index++) {
    const template = found[index] as string;
    for (const nested of nestedTemplates(template)) {
      if (seen.has(nested)) continue;
      seen.add(nested);
      found.push(nested);
    }
  }
  return found;
}

function nestedTemplates(templatePath: string): string[] {
  const manifest = join(
    dirname(templatePath),
    `${basename(templatePath).replace(/\.(nested\.)?template\.json$/, '')}.assets.json`,
  );
  if (!existsSync(manifest)) return [];
  const value = readDocumentFile(manifest).value;
  const files = isRecord(value) && isRecord(value.files) ? Object.values(value.files) : [];
  return files.flatMap((file) => {
    const path = isRecord(file) && isRecord(file.source) ? file.source.path : undefined;
    return typeof path === 'string' && NESTED_TEMPLATE.test(path) ? [resolve(dirname(manifest), path)] : [];
  });
}

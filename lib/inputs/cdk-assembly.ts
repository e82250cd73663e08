// A CDK cloud assembly (cdk.out): the stack templates its manifest.json lists, nested assemblies (CDK stages)
// included. https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDocumentFile } from '../cfn/load';
import { InputError } from '../model/errors';
import { isRecord } from '../model/json';

export interface AssemblyStack {
  /** The stack's construct path (displayName, e.g. "Prod/Orders"), else its artifact id. */
  name: string;
  templateFile: string;
}

/** Stages nest assemblies; deeper than this is a cycle or a mistake. */
const MAX_DEPTH = 16;

export const isCloudAssembly = (dir: string): boolean => existsSync(join(dir, 'manifest.json'));

export function readCloudAssembly(dir: string, depth = 0): AssemblyStack[] {
  const file = join(dir, 'manifest.json');
  if (depth > MAX_DEPTH) throw new InputError(file, `nested assemblies deeper than ${MAX_DEPTH} levels`);
  const manifest = readDocumentFile(file).value;
  if (!isRecord(manifest) || (manifest.artifacts !== undefined && !isRecord(manifest.artifacts)))
    throw new InputError(file, 'expected a cloud assembly manifest with an artifacts mapping', { path: 'artifacts' });
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (!isRecord(artifact)) throw new InputError(file, 'expected an artifact object', { path: `artifacts.${id}` });
    const properties = isRecord(artifact.properties) ? artifact.properties : {};
    const name = typeof artifact.displayName === 'string' ? artifact.displayName : id;
    if (artifact.type === 'aws:cloudformation:stack') {
      if (typeof properties.templateFile !== 'string')
        throw new InputError(file, 'expected the stack template file name', {
          path: `artifacts.${id}.properties.templateFile`,
        });
      stacks.push({ name, templateFile: join(dir, properties.templateFile) });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      if (typeof properties.directoryName !== 'string')
        throw new InputError(file, 'expected the nested assembly folder name', {
          path: `artifacts.${id}.properties.directoryName`,
        });
      stacks.push(...readCloudAssembly(join(dir, properties.directoryName), depth + 1));
    }
  }
  return stacks;
}

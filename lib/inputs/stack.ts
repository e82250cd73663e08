// Template analysis against a live account: the stack's own template, physical ids of what exists, and
// roles, managed policies and S3-hosted definitions outside the template read through the Backend.
import { parseDocumentText, type LoadedDocument } from '../cfn/load';
import { analyzeTemplateReferences } from '../cfn/machines';
import type { TemplateOptions } from '../cfn/template';
import type { StateMachineModel } from '../model/state-machine';
import type { Backend } from '../ports/backend';
import { isRecord } from '../model/json';

/** S3 locations of definitions (DefinitionS3Location, packaged DefinitionUri) in a template, as "bucket/key". */
function s3DefinitionLocations(template: unknown): Array<{ bucket: string; key: string; version?: string }> {
  const resources = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};
  const locations: Array<{ bucket: string; key: string; version?: string }> = [];
  for (const resource of Object.values(resources)) {
    const props = isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
    for (const field of ['DefinitionS3Location', 'DefinitionUri']) {
      const location = props[field];
      if (isRecord(location) && typeof location.Bucket === 'string' && typeof location.Key === 'string') {
        locations.push({
          bucket: location.Bucket,
          key: location.Key,
          ...(typeof location.Version === 'string' ? { version: location.Version } : {}),
        });
      } else if (typeof location === 'string' && location.startsWith('s3://')) {
        const [bucket = '', ...key] = location.slice(5).split('/');
        locations.push({ bucket, key: key.join('/') });
      }
    }
  }
  return locations;
}

/** Analyse template text with the account behind `backend` (see analyzeDocumentWithBackend). */
export async function analyzeWithBackend(
  text: string,
  file: string,
  options: TemplateOptions,
  backend: Backend,
): Promise<StateMachineModel[]> {
  return analyzeDocumentWithBackend(parseDocumentText(text, file), options, backend);
}

/** Analyse a parsed template with the account behind `backend`: two passes, the second with what the first looked up. */
export async function analyzeDocumentWithBackend(
  doc: LoadedDocument,
  options: TemplateOptions,
  backend: Backend,
): Promise<StateMachineModel[]> {
  const s3Definitions = new Map<string, string>();
  for (const { bucket, key, version } of s3DefinitionLocations(doc.value)) {
    s3Definitions.set(`${bucket}/${key}`, await backend.objectText(bucket, key, version));
  }
  const first = analyzeTemplateReferences(doc, { ...options, s3Definitions });
  if (first.external.roles.size === 0 && first.external.policies.size === 0) return first.machines;
  const snapshot = await backend.snapshotOf([...first.external.roles], [...first.external.policies]);
  return analyzeTemplateReferences(doc, { ...options, s3Definitions, snapshot }).machines;
}

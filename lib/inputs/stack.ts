// Template analysis against a live account: the stack's own template, physical ids of what exists, and
// roles, managed policies and S3-hosted definitions outside the template read through the Backend.
import { parseDocumentText, type LoadedDocument } from '../cfn/load';
import { analyzeTemplateReferences } from '../cfn/machines';
import type { TemplateOptions } from '../cfn/template';
import type { StateMachineModel, Unverifiable } from '../model/state-machine';
import { UnreadableError, type Backend } from '../ports/backend';
import { isRecord, textOf } from '../model/json';

/** The resource types whose definition locations are read; others (AppSync …) have their own meaning. */
const STATE_MACHINE_TYPES = new Set(['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine']);

export interface S3Location {
  bucket: string;
  key: string;
  version?: string;
}

/** An `s3://bucket/key` URI as a location; undefined for anything else (a local path is never read here). */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { bucket: match[1] as string, key: match[2] as string } : undefined;
}

/** A DefinitionS3Location/DefinitionUri value as a location: {Bucket, Key, Version?} or an s3:// URI. */
export function s3LocationOf(location: unknown): S3Location | undefined {
  if (typeof location === 'string') return parseS3Uri(location);
  if (isRecord(location) && typeof location.Bucket === 'string' && typeof location.Key === 'string')
    return {
      bucket: location.Bucket,
      key: location.Key,
      ...(typeof location.Version === 'string' ? { version: location.Version } : {}),
    };
  return undefined;
}

/** S3 locations of state machine definitions (DefinitionS3Location, packaged DefinitionUri) in a template. */
function s3DefinitionLocations(template: unknown): S3Location[] {
  const resources = isRecord(template) && isRecord(template.Resources) ? template.Resources : {};
  const locations: S3Location[] = [];
  for (const resource of Object.values(resources)) {
    if (!isRecord(resource) || !STATE_MACHINE_TYPES.has(textOf(resource.Type))) continue;
    const props = isRecord(resource.Properties) ? resource.Properties : {};
    const field = resource.Type === 'AWS::Serverless::StateMachine' ? 'DefinitionUri' : 'DefinitionS3Location';
    const location = s3LocationOf(props[field]);
    if (location) locations.push(location);
  }
  return locations;
}

/** An S3 definition's text, or what keeps it from being read (UnreadableError from the backend). */
export async function readS3Definition(
  backend: Backend,
  location: S3Location,
): Promise<{ text: string } | { unverifiable: Unverifiable }> {
  try {
    return { text: await backend.objectText(location.bucket, location.key, location.version) };
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    return { unverifiable: { subject: error.subject, reason: error.reason, remedy: error.remedy } };
  }
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

/**
 * Analyse a parsed template with the account behind `backend`: two passes, the second with what the first looked
 * up. Definitions are read from S3 only; an unreadable one is unverifiable for its machine.
 */
export async function analyzeDocumentWithBackend(
  doc: LoadedDocument,
  options: TemplateOptions,
  backend: Backend,
): Promise<StateMachineModel[]> {
  const s3Definitions = new Map<string, string | Unverifiable>();
  for (const location of s3DefinitionLocations(doc.value)) {
    const key = `${location.bucket}/${location.key}`;
    if (s3Definitions.has(key)) continue;
    const read = await readS3Definition(backend, location);
    s3Definitions.set(key, 'text' in read ? read.text : read.unverifiable);
  }
  const local = { ...options, s3Definitions, localDefinitions: 'none' as const };
  const first = analyzeTemplateReferences(doc, local);
  if (first.external.roles.size === 0 && first.external.policies.size === 0) return first.machines;
  const snapshot = await backend.snapshotOf([...first.external.roles], [...first.external.policies]);
  return analyzeTemplateReferences(doc, { ...local, snapshot }).machines;
}

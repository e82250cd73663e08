// The state machines of a template, each with its definition, settings and role.
import { dirname, resolve as resolvePath } from 'node:path';
import { isUnresolved } from '../model/arns';
import { isRecord } from '../model/json';
import { InputError, messageOf } from '../model/errors';
import { stateMachineModel, type RoleModel, type StateMachineModel } from '../model/state-machine';
import { applySubstitutions } from './intrinsics';
import { collectBucketKeys } from './keys';
import { collectResourcePolicies } from './resource-policies';
import { parseDocumentText, readDocumentFile, type LoadedDocument } from './load';
import type { ResourceValues } from './resources';
import { collectRoles, Lookups, type ExternalReferences } from './roles';
import { samGeneratedRole } from './sam-role';
import { readStateMachineProperties } from './state-machine-properties';
import { suppressionsOf } from './suppressions';
import { TemplateAnalysis, type TemplateOptions } from './template';

const STATE_MACHINE_TYPES = new Set(['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine']);

/** Analyse a template: every state machine it defines, with its role resolved as far as the template and snapshot allow. */
export function analyzeTemplate(doc: LoadedDocument, options: TemplateOptions): StateMachineModel[] {
  return analyzeTemplateReferences(doc, options).machines;
}

/** The state machines, and the roles and managed policies outside the template they depend on. */
export function analyzeTemplateReferences(
  doc: LoadedDocument,
  options: TemplateOptions,
): { machines: StateMachineModel[]; external: ExternalReferences } {
  const t = new TemplateAnalysis(doc, options);
  const lookups = new Lookups(options.snapshot, options.managedPolicies);
  const roles = collectRoles(t, lookups);
  const bucketKeys = { ...collectBucketKeys(t), ...(options.bucketKeys ?? {}) };
  const resourcePolicies = collectResourcePolicies(t, options.resourcePolicies);
  const machines: StateMachineModel[] = [];
  for (const id of t.resourceIds()) {
    const type = t.typeOf(id) as string;
    if (!STATE_MACHINE_TYPES.has(type)) continue;
    const machine = templateMachine(t, id, type, roles, bucketKeys, lookups);
    machine.resourcePolicies = resourcePolicies;
    machines.push(machine);
  }
  return { machines, external: lookups.external };
}

function readLocalDefinition(
  t: TemplateAnalysis,
  location: unknown,
  field: string,
  s3Definitions: ReadonlyMap<string, string>,
): { definition?: unknown; unavailable?: string } {
  const s3Key = isRecord(location)
    ? `${String(location.Bucket)}/${String(location.Key)}`
    : typeof location === 'string' && location.startsWith('s3://')
      ? location.slice(5)
      : undefined;
  const fetched = s3Key === undefined ? undefined : s3Definitions.get(s3Key);
  if (fetched !== undefined) {
    try {
      return { definition: parseDocumentText(fetched, `s3://${s3Key}`).value };
    } catch (error) {
      return { unavailable: `${field} s3://${s3Key} cannot be read: ${messageOf(error)}` };
    }
  }
  if (typeof location === 'string' && !location.startsWith('s3://')) {
    const path = resolvePath(dirname(t.file), location);
    try {
      return { definition: readDocumentFile(path).value };
    } catch (error) {
      const detail =
        error instanceof InputError
          ? `${error.where?.line !== undefined ? `line ${error.where.line}: ` : ''}${error.detail}`
          : messageOf(error);
      return { unavailable: `${field} ${location} cannot be read: ${detail}` };
    }
  }
  const where = isRecord(location) ? `s3://${String(location.Bucket)}/${String(location.Key)}` : String(location);
  return {
    unavailable: `${field} points at ${where}; dmap-guard reads local definitions: run it on the template before it is packaged`,
  };
}

function templateMachine(
  t: TemplateAnalysis,
  id: string,
  type: string,
  roles: Map<string, RoleModel>,
  bucketKeys: Record<string, string>,
  lookups: Lookups,
): StateMachineModel {
  const sam = type === 'AWS::Serverless::StateMachine';
  const props = t.properties(id);
  const values = t.values(id) as ResourceValues;
  const read = readStateMachineProperties(props, { sam, resolve: (value) => t.resolve(value), where: t.pseudo });
  const source = read.definition;
  const { definition, unavailable } =
    source.kind === 'inline'
      ? { definition: source.value, unavailable: undefined }
      : source.kind === 'location'
        ? readLocalDefinition(t, source.value, source.field, t.s3Definitions)
        : {
            definition: undefined,
            unavailable: `${id} has no definition (Definition, ${sam ? 'DefinitionUri' : 'DefinitionString or DefinitionS3Location'})`,
          };
  const model = stateMachineModel({
    id,
    arn: String(values.ref),
    name: String(values.attributes.Name),
    ...t.pseudo,
    type: read.type,
    bucketKeys,
    logging: read.logging,
    tracing: read.tracing,
    ...(read.encryptionKey !== undefined ? { encryptionKey: read.encryptionKey } : {}),
    definition: definition === undefined ? undefined : applySubstitutions(definition, read.substitutions),
    ...(unavailable !== undefined ? { definitionUnavailable: unavailable } : {}),
    origin: t.origin(id, 'Properties', source.field),
    source: t.file,
    suppressions: suppressionsOf(t, id),
  });

  const roleArn = read.role;
  if (typeof roleArn === 'string' && !isUnresolved(roleArn)) {
    model.role = roles.get(roleArn) ?? lookups.role(roleArn);
  } else if (roleArn !== undefined) {
    model.roleReference = typeof roleArn === 'string' ? roleArn : JSON.stringify(roleArn);
  } else if (sam) {
    model.role = samGeneratedRole(t, id, props, model.context.tracing, lookups);
  } else {
    model.roleReference = 'none (RoleArn is missing)';
  }
  return model;
}

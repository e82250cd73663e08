// The state machines of a template, each with its definition, settings and role.
import { dirname, resolve as resolvePath } from 'node:path';
import { isUnresolved } from '../model/arns';
import { InputError } from '../model/errors';
import { isRecord } from '../model/json';
import type { RoleModel, StateMachineModel } from '../model/state-machine';
import { applySubstitutions } from './intrinsics';
import { collectBucketKeys, keyArn } from './keys';
import { parseDocumentText, readDocumentFile, type LoadedDocument } from './load';
import type { ResourceValues } from './resources';
import { collectRoles, Lookups, type ExternalReferences } from './roles';
import { samGeneratedRole } from './sam-role';
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
  const lookups = new Lookups(options.snapshot);
  const roles = collectRoles(t, lookups);
  const bucketKeys = { ...collectBucketKeys(t), ...(options.bucketKeys ?? {}) };
  const machines: StateMachineModel[] = [];
  for (const id of t.resourceIds()) {
    const type = t.typeOf(id) as string;
    if (!STATE_MACHINE_TYPES.has(type)) continue;
    machines.push(stateMachineModel(t, id, type, roles, bucketKeys, lookups));
  }
  return { machines, external: lookups.external };
}

function readLocalDefinition(
  t: TemplateAnalysis,
  location: unknown,
  field: string,
  s3Definitions: Record<string, string>,
): { definition?: unknown; unavailable?: string } {
  const s3Key = isRecord(location)
    ? `${String(location.Bucket)}/${String(location.Key)}`
    : typeof location === 'string' && location.startsWith('s3://')
      ? location.slice(5)
      : undefined;
  const fetched = s3Key === undefined ? undefined : s3Definitions[s3Key];
  if (fetched !== undefined) {
    try {
      return { definition: parseDocumentText(fetched, `s3://${s3Key}`).value };
    } catch (error) {
      return { unavailable: `${field} s3://${s3Key} cannot be read: ${(error as Error).message}` };
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
          : (error as Error).message;
      return { unavailable: `${field} ${location} cannot be read: ${detail}` };
    }
  }
  const where = isRecord(location) ? `s3://${String(location.Bucket)}/${String(location.Key)}` : String(location);
  return {
    unavailable: `${field} points at ${where}; dmap-guard reads local definitions: run it on the template before it is packaged`,
  };
}

function stateMachineModel(
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
  const arn = String(values.ref);
  const name = String(values.attributes.Name);
  const { partition, region, account } = t.pseudo;
  const substitutions = t.resolve(props.DefinitionSubstitutions);
  const subs = isRecord(substitutions) ? substitutions : {};

  let definition: unknown;
  let unavailable: string | undefined;
  let definitionField: string;
  if (props.Definition !== undefined) {
    definitionField = 'Definition';
    definition = applySubstitutions(t.resolve(props.Definition), subs);
  } else if (!sam && props.DefinitionString !== undefined) {
    definitionField = 'DefinitionString';
    definition = applySubstitutions(t.resolve(props.DefinitionString), subs);
  } else {
    definitionField = sam ? 'DefinitionUri' : 'DefinitionS3Location';
    const read =
      props[definitionField] === undefined
        ? {
            unavailable: `${id} has no definition (Definition, ${sam ? 'DefinitionUri' : 'DefinitionString or DefinitionS3Location'})`,
          }
        : readLocalDefinition(t, t.resolve(props[definitionField]), definitionField, t.s3Definitions);
    definition = read.definition === undefined ? undefined : applySubstitutions(read.definition, subs);
    unavailable = read.unavailable;
  }

  const logging = t.resolve(sam ? props.Logging : props.LoggingConfiguration);
  const tracing = t.resolve(sam ? props.Tracing : props.TracingConfiguration);
  const encryption = t.resolve(props.EncryptionConfiguration);
  const machineType = t.resolve(sam ? props.Type : props.StateMachineType);
  const model: StateMachineModel = {
    id,
    arn,
    context: {
      name,
      partition,
      region,
      account,
      type: machineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      bucketKeys,
      logging: isRecord(logging) && typeof logging.Level === 'string' && logging.Level !== 'OFF',
      tracing: isRecord(tracing) && (tracing.Enabled === true || tracing.Enabled === 'true'),
    },
    definition,
    origin: t.origin(id, 'Properties', definitionField),
    source: t.file,
    suppressions: suppressionsOf(t, id),
  };
  if (unavailable !== undefined) model.definitionUnavailable = unavailable;
  if (
    isRecord(encryption) &&
    encryption.Type === 'CUSTOMER_MANAGED_KMS_KEY' &&
    typeof encryption.KmsKeyId === 'string'
  ) {
    model.context.encryptionKey = keyArn(t, encryption.KmsKeyId, new Map());
  }

  const roleArn = t.resolve(sam ? props.Role : props.RoleArn);
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

// The state machines of a template, each with its definition, settings and role.
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { isUnresolved } from '../model/arns';
import { isRecord, textOf } from '../model/json';
import { InputError, messageOf } from '../model/errors';
import { stateMachineModel, type RoleModel, type StateMachineModel, type Unverifiable } from '../model/state-machine';
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

/**
 * Templates checked together, as stacks deployed together: an Fn::ImportValue of a name another template exports
 * resolves to that export's value, and a role another template defines is that role, not an external one.
 */
export function analyzeTemplates(
  templates: Array<{ doc: LoadedDocument; options: TemplateOptions }>,
): StateMachineModel[] {
  const exports = new Map<string, unknown>();
  const sharedRoles = new Map<string, RoleModel>();
  for (const { doc, options } of templates) {
    const t = new TemplateAnalysis(doc, options);
    for (const [name, value] of t.exports()) if (!exports.has(name)) exports.set(name, value);
    for (const [arn, role] of collectRoles(t, new Lookups(options.snapshot))) sharedRoles.set(arn, role);
  }
  return templates.flatMap(({ doc, options }) => analyzeTemplate(doc, { ...options, exports, sharedRoles }));
}

interface ReadDefinition {
  definition?: unknown;
  unavailable?: string;
  unverifiable?: Unverifiable;
}

function readLocalDefinition(
  t: TemplateAnalysis,
  location: unknown,
  field: string,
  s3Definitions: ReadonlyMap<string, string | Unverifiable>,
): ReadDefinition {
  const s3Key = isRecord(location)
    ? `${textOf(location.Bucket)}/${textOf(location.Key)}`
    : typeof location === 'string' && location.startsWith('s3://')
      ? location.slice(5)
      : undefined;
  const fetched = s3Key === undefined ? undefined : s3Definitions.get(s3Key);
  if (typeof fetched === 'string') {
    try {
      return { definition: parseDocumentText(fetched, `s3://${s3Key}`).value };
    } catch (error) {
      return { unavailable: `${field} s3://${s3Key} cannot be read: ${messageOf(error)}` };
    }
  }
  if (fetched !== undefined)
    return {
      unavailable: `${fetched.subject} cannot be read: ${fetched.reason}; ${fetched.remedy}`,
      unverifiable: fetched,
    };
  if (typeof location === 'string' && !location.startsWith('s3://')) {
    if (t.localDefinitions === 'none')
      return {
        unavailable: `${field} "${location}" is not an s3:// URI; a deployed template names its definition in S3 ({Bucket, Key} or s3://bucket/key)`,
      };
    return readDefinitionFile(t, location, field);
  }
  const where = isRecord(location) ? `s3://${String(location.Bucket)}/${String(location.Key)}` : String(location);
  // Not broken, only out of reach: the machine is UNVERIFIED, not failed.
  return {
    unverifiable: {
      subject: `definition ${where}`,
      reason: `${field} points at ${where}, and dmap-guard reads local definitions`,
      remedy: 'Run dmap-guard check on the template before it is packaged, or check the deployed stack (hook, audit).',
    },
  };
}

/**
 * A definition file named by the template: relative to its folder, a regular file (never a device such as
 * /dev/zero) and, unless the user allows it, inside that folder once symlinks are resolved.
 */
function readDefinitionFile(t: TemplateAnalysis, location: string, field: string): ReadDefinition {
  const refuse = (why: string): ReadDefinition => ({ unavailable: `${field} ${location} cannot be read: ${why}` });
  let folder: string;
  let path: string;
  try {
    folder = realpathSync(dirname(t.file));
    path = realpathSync(resolvePath(folder, location));
  } catch {
    return refuse('file not found');
  }
  const inside = relative(folder, path);
  if (t.localDefinitions !== 'anywhere' && (inside.startsWith('..') || isAbsolute(inside)))
    return refuse(
      "it is outside the template's folder (pass --allow-outside-definitions to read definitions from anywhere)",
    );
  if (!statSync(path).isFile()) return refuse('expected a regular file');
  try {
    return { definition: readDocumentFile(path).value };
  } catch (error) {
    const detail =
      error instanceof InputError
        ? `${error.where?.line !== undefined ? `line ${error.where.line}: ` : ''}${error.detail}`
        : messageOf(error);
    return refuse(detail);
  }
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
  const { definition, unavailable, unverifiable }: ReadDefinition =
    source.kind === 'inline'
      ? { definition: source.value }
      : source.kind === 'location'
        ? readLocalDefinition(t, source.value, source.field, t.s3Definitions)
        : {
            definition: undefined,
            unverifiable: undefined,
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
    ...(unverifiable !== undefined ? { unverifiable: [unverifiable] } : {}),
  });

  const roleArn = read.role;
  if (typeof roleArn === 'string' && !isUnresolved(roleArn)) {
    model.role = roles.get(roleArn) ?? t.sharedRoles.get(roleArn) ?? lookups.role(roleArn);
  } else if (roleArn !== undefined) {
    model.roleReference = typeof roleArn === 'string' ? roleArn : JSON.stringify(roleArn);
  } else if (sam) {
    model.role = samGeneratedRole(t, id, props, model.context.tracing, lookups);
  } else {
    model.roleReference = 'none (RoleArn is missing)';
  }
  model.unverifiable.push(...conditionalGrants(t, id, model.role));
  return model;
}

/**
 * The role and the policies that may not exist: their Condition depends on a parameter without a value. They are
 * analysed as present, so the grants they give hold in one world only. A machine's own unknown Condition needs no
 * entry: where it is not created nothing can fail, where it is the analysis is its verdict; nor does a role or
 * policy with the same Condition as the machine, as they exist together.
 */
function conditionalGrants(t: TemplateAnalysis, id: string, role: RoleModel | undefined): Unverifiable[] {
  if (!role) return [];
  const own = t.unknownCondition(id)?.condition;
  const parts = [
    { kind: 'role', logicalId: role.origin?.logicalId },
    ...[...role.identityPolicies, ...(role.boundary ? [role.boundary] : [])].map((p) => ({
      kind: 'policy',
      logicalId: p.origin?.logicalId,
    })),
  ];
  const entries = new Map<string, Unverifiable>();
  for (const { kind, logicalId } of parts) {
    if (logicalId === undefined || logicalId === id || entries.has(logicalId)) continue;
    const unknown = t.unknownCondition(logicalId);
    if (!unknown || unknown.condition === own) continue;
    const inputs = unknown.inputs.length > 0 ? unknown.inputs.join(', ') : 'a value known only at deployment';
    const names = unknown.inputs.filter((i) => i.startsWith('parameter ')).map((i) => `${i.slice(10)}=<value>`);
    entries.set(logicalId, {
      subject: `${kind} ${logicalId} (Condition ${unknown.condition} on ${inputs})`,
      reason: `${logicalId} exists only when ${unknown.condition} holds, which depends on ${inputs}; it was analysed as present, so what it grants may be missing when the stack is deployed`,
      remedy:
        names.length > 0
          ? `Pass --parameter-overrides ${names.join(' ')} (or give the parameter a Default) to check the stack as it will be deployed.`
          : `Check the stack with the values it will be deployed with.`,
    });
  }
  return [...entries.values()];
}

// A CloudFormation or SAM template → the state machines it defines, each with its definition and role.
import { dirname, resolve as resolvePath } from 'node:path';
import { displayValue, isUnresolved } from '../needs/arns';
import type { Origin, PolicySource, RoleModel, StateMachineModel, Suppression } from '../model';
import { managedPolicy, snapshotRole, type AccountSnapshot } from '../snapshot';
import { applySubstitutions, evaluateCondition, resolve, unresolved, type ResolveEnv } from './intrinsics';
import { InputError, parseDocumentText, readDocumentFile, type LoadedDocument } from './load';
import { physicalName, physicalValues, resourceValues, type Pseudo, type ResourceValues } from './resources';
import { CONNECTOR_TYPE_ALIASES, SAM_CONNECTOR_PROFILES, SAM_POLICY_TEMPLATES, xrayManagedPolicyArn } from './sam';
import { isRecord } from '../json';

export interface TemplateOptions {
  region: string;
  account: string;
  partition: string;
  stackName?: string;
  parameterOverrides?: Record<string, string>;
  snapshot?: AccountSnapshot;
  /** Bucket name → SSE-KMS key ARN for buckets outside the template. */
  bucketKeys?: Record<string, string>;
  /** Physical ids of resources that already exist (a deployed stack), by logical id. */
  physicalIds?: Record<string, string>;
  /** Definition texts stored in S3, by "bucket/key", fetched beforehand (the analysis itself does no I/O but local files). */
  s3Definitions?: Record<string, string>;
}

/** Roles and managed policies outside the template that the analysis looked up in the snapshot. */
export interface ExternalReferences {
  roles: Set<string>;
  policies: Set<string>;
}

/** Snapshot look-ups that remember what was asked, so a live backend can fetch exactly those. */
class Lookups {
  readonly external: ExternalReferences = { roles: new Set(), policies: new Set() };
  constructor(readonly snapshot: AccountSnapshot | undefined) {}
  policy(arn: string): PolicySource | string {
    this.external.policies.add(arn);
    return managedPolicy(this.snapshot, arn);
  }
  role(arn: string): RoleModel {
    this.external.roles.add(arn);
    return snapshotRole(this.snapshot, arn);
  }
  roleArns(): string[] {
    return this.snapshot ? [...this.snapshot.roles.keys()] : [];
  }
}

type Json = Record<string, unknown>;

const NAME_PROPERTIES = [
  'StateMachineName',
  'Name',
  'RoleName',
  'Path',
  'ManagedPolicyName',
  'BucketName',
  'FunctionName',
  'QueueName',
  'FifoQueue',
  'TopicName',
  'TableName',
  'DeliveryStreamName',
  'LogGroupName',
  'TableBucketName',
  'AliasName',
];
const STATE_MACHINE_TYPES = new Set(['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine']);

/** AWS managed policies SAM attaches on its own, whose content is fixed and public. */
const KNOWN_AWS_MANAGED: Record<string, unknown> = {
  AWSXrayWriteOnlyAccess: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ],
        Resource: ['*'],
      },
    ],
  },
};

export class TemplateAnalysis {
  readonly file: string;
  readonly template: Json;
  readonly pseudo: Pseudo;
  readonly s3Definitions: Record<string, string>;
  private readonly env: ResolveEnv;
  private readonly resources: Json;
  private readonly valueCache = new Map<string, ResourceValues>();
  private readonly inProgress = new Set<string>();
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    readonly doc: LoadedDocument,
    private readonly options: TemplateOptions,
  ) {
    this.file = doc.file;
    if (!isRecord(doc.value))
      throw new InputError(doc.file, 'expected a CloudFormation template (a mapping with Resources)');
    this.template = doc.value;
    if (!isRecord(this.template.Resources))
      throw new InputError(doc.file, 'expected a Resources section (a mapping of logical ids to resources)', {
        path: 'Resources',
      });
    this.resources = this.template.Resources;
    this.s3Definitions = options.s3Definitions ?? {};
    this.pseudo = {
      partition: options.partition,
      region: options.region,
      account: options.account,
      stackName: options.stackName ?? 'dmap-guard',
    };
    const p = this.pseudo;
    this.env = {
      pseudo: {
        'AWS::Region': p.region,
        'AWS::AccountId': p.account,
        'AWS::Partition': p.partition,
        'AWS::StackName': p.stackName,
        'AWS::StackId': `arn:${p.partition}:cloudformation:${p.region}:${p.account}:stack/${p.stackName}/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d`,
        'AWS::URLSuffix': p.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
        'AWS::NotificationARNs': [],
      },
      parameters: this.parameters(),
      mappings: isRecord(this.template.Mappings) ? this.template.Mappings : {},
      conditions: (name) => this.condition(name),
      ref: (id) => this.values(id)?.ref ?? unresolved(`Ref ${id}`),
      getAtt: (id, attribute) => {
        const values = this.values(id);
        if (!values) return unresolved(`${id}.${attribute}`);
        return attribute in values.attributes ? values.attributes[attribute] : unresolved(`${id}.${attribute}`);
      },
    };
  }

  private parameters(): Record<string, unknown> {
    const declared = isRecord(this.template.Parameters) ? this.template.Parameters : {};
    const overrides = this.options.parameterOverrides ?? {};
    const unknownOverride = Object.keys(overrides).find((name) => !(name in declared));
    if (unknownOverride !== undefined)
      throw new InputError(
        this.file,
        `--parameter-overrides names ${unknownOverride}, which the template does not declare`,
        { path: 'Parameters' },
      );
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(declared)) {
      const type = isRecord(spec) && typeof spec.Type === 'string' ? spec.Type : 'String';
      const raw =
        overrides[name] ??
        (isRecord(spec) && !type.startsWith('AWS::SSM::Parameter::Value') ? spec.Default : undefined);
      if (raw === undefined) values[name] = unresolved(`parameter ${name}`);
      else if (type === 'CommaDelimitedList' || type.startsWith('List<'))
        values[name] = Array.isArray(raw)
          ? raw.map(String)
          : String(raw)
              .split(',')
              .map((s) => s.trim());
      else values[name] = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
    }
    return values;
  }

  private condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const conditions = isRecord(this.template.Conditions) ? this.template.Conditions : {};
    if (this.inProgress.has(`condition:${name}`) || !(name in conditions)) return false;
    this.inProgress.add(`condition:${name}`);
    const value = evaluateCondition(conditions[name], this.env);
    this.inProgress.delete(`condition:${name}`);
    this.conditionCache.set(name, value);
    return value;
  }

  /** Resources that exist: no Condition, or a Condition that holds. */
  resource(id: string): Json | undefined {
    const resource = this.resources[id];
    if (!isRecord(resource)) return undefined;
    if (typeof resource.Condition === 'string' && !this.condition(resource.Condition)) return undefined;
    return resource;
  }

  resourceIds(): string[] {
    return Object.keys(this.resources).filter((id) => this.resource(id) !== undefined);
  }

  typeOf(id: string): string | undefined {
    const type = this.resource(id)?.Type;
    return typeof type === 'string' ? type : undefined;
  }

  properties(id: string): Json {
    const props = this.resource(id)?.Properties;
    return isRecord(props) ? props : {};
  }

  values(id: string): ResourceValues | undefined {
    const cached = this.valueCache.get(id);
    if (cached) return cached;
    const type = this.typeOf(id);
    if (type === undefined || this.inProgress.has(id)) return undefined;
    const physicalId = this.options.physicalIds?.[id];
    if (physicalId !== undefined) {
      const known = physicalValues(type, id, physicalId, this.pseudo);
      this.valueCache.set(id, known);
      return known;
    }
    this.inProgress.add(id);
    const props = this.properties(id);
    const names: Json = {};
    for (const key of NAME_PROPERTIES) if (key in props) names[key] = this.resolve(props[key]);
    this.inProgress.delete(id);
    const values = resourceValues(type, id, names, this.pseudo);
    this.valueCache.set(id, values);
    return values;
  }

  resolve(value: unknown): unknown {
    return resolve(value, this.env);
  }

  origin(logicalId: string, ...path: Array<string | number>): Origin {
    return { file: this.file, logicalId, path: ['Resources', logicalId, ...path] };
  }
}

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

function policySource(id: string, name: string, document: unknown, origin: Origin): PolicySource {
  return { id, name, document, origin };
}

/** Roles defined in the template (by ARN), with every policy attached to them anywhere in the template. */
function collectRoles(t: TemplateAnalysis, lookups: Lookups): Map<string, RoleModel> {
  const byArn = new Map<string, RoleModel>();
  const byName = new Map<string, RoleModel>();
  const templatePolicies = new Map<string, PolicySource>();
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::IAM::ManagedPolicy') continue;
    const arn = String(t.values(id)?.ref);
    templatePolicies.set(
      arn,
      policySource(
        id,
        `managed policy ${id}`,
        t.resolve(t.properties(id).PolicyDocument),
        t.origin(id, 'Properties', 'PolicyDocument'),
      ),
    );
  }
  const attachManaged = (role: RoleModel, arn: unknown, label = '') => {
    const key = String(arn);
    const policy = templatePolicies.get(key) ?? knownManaged(key) ?? lookups.policy(key);
    if (typeof policy === 'string') role.unknown.push(`${label}${policy}`);
    else return policy;
    return undefined;
  };

  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::IAM::Role') continue;
    const props = t.properties(id);
    const values = t.values(id) as ResourceValues;
    const role: RoleModel = {
      arn: String(values.attributes.Arn),
      identityPolicies: [],
      unknown: [],
      origin: t.origin(id),
    };
    if (props.AssumeRolePolicyDocument !== undefined) {
      role.trust = policySource(
        `${id}/AssumeRolePolicyDocument`,
        `trust policy of role ${id}`,
        t.resolve(props.AssumeRolePolicyDocument),
        t.origin(id, 'Properties', 'AssumeRolePolicyDocument'),
      );
    }
    const inline = t.resolve(props.Policies);
    if (Array.isArray(inline)) {
      inline.forEach((policy, index) => {
        if (!isRecord(policy)) return;
        const name = String(policy.PolicyName ?? index);
        role.identityPolicies.push(
          policySource(
            `${id}/${name}`,
            `inline policy ${name} of role ${id}`,
            policy.PolicyDocument,
            t.origin(id, 'Properties', 'Policies', index, 'PolicyDocument'),
          ),
        );
      });
    }
    const managed = t.resolve(props.ManagedPolicyArns);
    if (Array.isArray(managed))
      for (const arn of managed) {
        const policy = attachManaged(role, arn);
        if (policy) role.identityPolicies.push(policy);
      }
    if (props.PermissionsBoundary !== undefined) {
      const boundary = attachManaged(role, t.resolve(props.PermissionsBoundary), 'permissions boundary: ');
      if (boundary) role.boundary = boundary;
    }
    byArn.set(role.arn, role);
    byName.set(String(values.ref), role);
  }

  // Policies attached by role name, from any resource, in any order (CDK's DistributedMapPolicy comes after the machine).
  const roleByName = (name: unknown): RoleModel | undefined => {
    const key = String(name);
    const known = byName.get(key);
    if (known) return known;
    const arn = lookups.roleArns().find((a) => a.endsWith(`/${key}`));
    if (arn === undefined) return undefined;
    const external = lookups.role(arn);
    byArn.set(arn, external);
    byName.set(key, external);
    return external;
  };
  for (const id of t.resourceIds()) {
    const type = t.typeOf(id);
    const props = t.properties(id);
    if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
      const roleNames = t.resolve(props.Roles);
      if (!Array.isArray(roleNames)) continue;
      const policy =
        type === 'AWS::IAM::Policy'
          ? policySource(
              id,
              `policy ${id}`,
              t.resolve(props.PolicyDocument),
              t.origin(id, 'Properties', 'PolicyDocument'),
            )
          : (templatePolicies.get(String(t.values(id)?.ref)) as PolicySource);
      for (const name of roleNames) roleByName(name)?.identityPolicies.push(policy);
    } else if (type === 'AWS::IAM::RolePolicy') {
      const policyName = String(t.resolve(props.PolicyName));
      roleByName(t.resolve(props.RoleName))?.identityPolicies.push(
        policySource(
          id,
          `role policy ${policyName}`,
          t.resolve(props.PolicyDocument),
          t.origin(id, 'Properties', 'PolicyDocument'),
        ),
      );
    }
  }
  for (const role of byArn.values()) noteUnresolvedPolicies(role);
  return byArn;
}

/** A statement that depends on a value known only at deployment can neither be credited nor judged. */
function noteUnresolvedPolicies(role: RoleModel): void {
  for (const source of [...role.identityPolicies, ...(role.boundary ? [role.boundary] : [])]) {
    const marker = JSON.stringify(source.document ?? null).match(/\{\{dmap-guard:unresolved:[^}]*\}\}/);
    if (marker)
      role.unknown.push(
        `${source.name} depends on ${displayValue(marker[0])}, known only at deployment (pass --parameter-overrides)`,
      );
  }
}

function knownManaged(arn: string): PolicySource | undefined {
  const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  const document = match ? KNOWN_AWS_MANAGED[match[1] as string] : undefined;
  return document ? { id: arn, name: `AWS managed policy ${match?.[1]}`, document, fixedActions: true } : undefined;
}

/** Bucket name → key ARN for buckets in the template that use SSE-KMS with a customer managed key. */
function collectBucketKeys(t: TemplateAnalysis): Record<string, string> {
  const aliases = new Map<string, string>();
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::KMS::Alias') continue;
    const props = t.properties(id);
    aliases.set(String(t.resolve(props.AliasName)), String(t.resolve(props.TargetKeyId)));
  }
  const keys: Record<string, string> = {};
  for (const id of t.resourceIds()) {
    if (t.typeOf(id) !== 'AWS::S3::Bucket') continue;
    const rules = t.resolve((t.properties(id).BucketEncryption as Json | undefined)?.ServerSideEncryptionConfiguration);
    if (!Array.isArray(rules)) continue;
    for (const rule of rules) {
      const byDefault =
        isRecord(rule) && isRecord(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
      if (
        !byDefault ||
        !String(byDefault.SSEAlgorithm).startsWith('aws:kms') ||
        typeof byDefault.KMSMasterKeyID !== 'string'
      )
        continue;
      keys[String(t.values(id)?.ref)] = keyArn(t, byDefault.KMSMasterKeyID, aliases);
    }
  }
  return keys;
}

function keyArn(t: TemplateAnalysis, reference: string, aliases: Map<string, string>): string {
  const { partition, region, account } = t.pseudo;
  const aliasName = reference.startsWith('alias/') ? reference : /:alias\/.+$/.exec(reference)?.[0].slice(1);
  if (aliasName !== undefined) {
    const target = aliases.get(aliasName);
    return target
      ? keyArn(t, target, aliases)
      : reference.startsWith('arn:')
        ? reference
        : `arn:${partition}:kms:${region}:${account}:${aliasName}`;
  }
  return reference.startsWith('arn:') ? reference : `arn:${partition}:kms:${region}:${account}:key/${reference}`;
}

function suppressionsOf(t: TemplateAnalysis, id: string): Suppression[] {
  const metadata = t.resource(id)?.Metadata;
  const block = isRecord(metadata) ? metadata['dmap-guard'] : undefined;
  if (block === undefined) return [];
  return parseSuppressions(
    isRecord(block) ? block.suppress : block,
    t.file,
    `Resources.${id}.Metadata.dmap-guard.suppress`,
  );
}

/** Suppressions as written in template Metadata or a --config file; a missing reason is an input error. */
export function parseSuppressions(value: unknown, file: string, path: string): Suppression[] {
  if (!Array.isArray(value)) throw new InputError(file, 'expected a list of {rule, reason}', { path });
  return value.map((entry, index) => {
    const where = `${path}[${index}]`;
    if (!isRecord(entry) || typeof entry.rule !== 'string' || entry.rule === '')
      throw new InputError(file, 'expected {rule, reason} with a rule id', { path: where });
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '')
      throw new InputError(file, `suppressing ${entry.rule} needs a reason`, { path: `${where}.reason` });
    const suppression: Suppression = { rule: entry.rule, reason: entry.reason };
    if (typeof entry.action === 'string') suppression.action = entry.action;
    if (typeof entry.resource === 'string') suppression.resource = entry.resource;
    return suppression;
  });
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

/** The role SAM generates for a state machine from its Policies, Connectors and Tracing. */
function samGeneratedRole(t: TemplateAnalysis, id: string, props: Json, tracing: boolean, lookups: Lookups): RoleModel {
  const p = t.pseudo;
  const role: RoleModel = {
    arn: `arn:${p.partition}:iam::${p.account}:role/${physicalName(p, `${id}Role`)}`,
    identityPolicies: [],
    unknown: [],
    origin: t.origin(id, 'Properties', 'Policies'),
  };
  const raw = t.resolve(props.Policies);
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  entries.forEach((entry, index) => {
    const origin = t.origin(id, 'Properties', 'Policies', ...(Array.isArray(raw) ? [index] : []));
    if (typeof entry === 'string') {
      const arn = entry.startsWith('arn:') ? entry : `arn:${p.partition}:iam::aws:policy/${entry}`;
      const policy = knownManaged(arn) ?? lookups.policy(arn);
      if (typeof policy === 'string') role.unknown.push(policy);
      else role.identityPolicies.push(policy);
    } else if (isRecord(entry) && 'Statement' in entry) {
      role.identityPolicies.push(
        policySource(`${id}Role/Policy${index}`, `inline policy ${index} of ${id}`, entry, origin),
      );
    } else if (isRecord(entry) && Object.keys(entry).length === 1) {
      const [templateName] = Object.keys(entry) as [string];
      const template = SAM_POLICY_TEMPLATES[templateName];
      if (!template) {
        role.unknown.push(`SAM policy template ${templateName} (not modelled by dmap-guard)`);
        return;
      }
      const params = isRecord(entry[templateName]) ? (entry[templateName] as Json) : {};
      const param = (name: string) =>
        typeof params[name] === 'string' ? (params[name] as string) : unresolved(`${templateName}.${name}`);
      role.identityPolicies.push(
        policySource(
          `${id}Role/${templateName}${index}`,
          `SAM policy template ${templateName}`,
          { Version: '2012-10-17', Statement: template(param, p) },
          origin,
        ),
      );
    } else {
      role.unknown.push(`Policies[${index}] of ${id} (not a managed policy, statement list or policy template)`);
    }
  });
  for (const [name, statements] of connectorStatements(t, id)) {
    role.identityPolicies.push({
      ...policySource(
        `${id}Role/${name}`,
        `SAM connector ${name}`,
        { Version: '2012-10-17', Statement: statements },
        t.origin(name),
      ),
      fixedActions: true,
    });
  }
  if (tracing) {
    const policy = knownManaged(xrayManagedPolicyArn(p.partition));
    if (policy) role.identityPolicies.push(policy);
  }
  if (isRecord(props) && props.PermissionsBoundary !== undefined) {
    const arn = String(t.resolve(props.PermissionsBoundary));
    const boundary = lookups.policy(arn);
    if (typeof boundary === 'string') role.unknown.push(`permissions boundary: ${boundary}`);
    else role.boundary = boundary;
  }
  noteUnresolvedPolicies(role);
  return role;
}

/** Statements granted by SAM connectors whose source is this state machine (embedded or AWS::Serverless::Connector). */
function connectorStatements(t: TemplateAnalysis, id: string): Array<[string, unknown[]]> {
  const result: Array<[string, unknown[]]> = [];
  const grant = (name: string, destinations: unknown, permissions: unknown) => {
    const statements: unknown[] = [];
    for (const destination of Array.isArray(destinations) ? destinations : [destinations]) {
      if (!isRecord(destination)) continue;
      const destId = typeof destination.Id === 'string' ? destination.Id : undefined;
      const rawType = destId ? t.typeOf(destId) : String(destination.Type);
      const type = CONNECTOR_TYPE_ALIASES[rawType ?? ''] ?? rawType ?? '';
      const values = destId ? t.values(destId) : undefined;
      const arn = String(
        values?.attributes.Arn ?? values?.attributes.TopicArn ?? values?.ref ?? t.resolve(destination.Arn),
      );
      const destName = String(values?.attributes.Name ?? values?.ref ?? t.resolve(destination.Name));
      for (const access of Array.isArray(permissions) ? permissions : []) {
        const profile = SAM_CONNECTOR_PROFILES[type]?.[access as 'Read' | 'Write'];
        if (profile)
          statements.push(
            ...profile(
              { arn: type === 'AWS::SQS::Queue' ? String(values?.attributes.Arn ?? arn) : arn, name: destName },
              t.pseudo,
            ),
          );
      }
    }
    if (statements.length > 0) result.push([name, statements]);
  };
  const embedded = t.properties(id).Connectors;
  if (isRecord(embedded)) {
    for (const [name, connector] of Object.entries(embedded)) {
      const props = isRecord(connector) && isRecord(connector.Properties) ? connector.Properties : {};
      grant(name, props.Destination, props.Permissions);
    }
  }
  for (const other of t.resourceIds()) {
    if (t.typeOf(other) !== 'AWS::Serverless::Connector') continue;
    const props = t.properties(other);
    if (isRecord(props.Source) && props.Source.Id === id) grant(other, props.Destination, props.Permissions);
  }
  return result;
}

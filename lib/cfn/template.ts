// A CloudFormation or SAM template as the resolver sees it: parameters, conditions, intrinsics and the values
// (names, ARNs) of its resources. What the resources mean is read in roles.ts, sam-role.ts and machines.ts.
import type { AccountSnapshot } from '../model/snapshot';
import type { ResourcePolicies } from '../model/resource-policies';
import type { Origin, PolicySource, RoleModel, Unverifiable } from '../model/state-machine';
import { InputError } from '../model/errors';
import { isRecord, own } from '../model/json';
import {
  evaluateCondition,
  MAX_RESOLUTION_DEPTH,
  resolve,
  unresolved,
  UNKNOWN_CONDITION,
  type ConditionValue,
  type ResolveEnv,
} from './intrinsics';
import { isUnresolved } from '../model/arns';
import type { LoadedDocument } from './load';
import { physicalValues, resourceValues, type Pseudo, type ResourceValues } from './resources';

/**
 * References followed at once (a condition naming a condition, a resource's name referring to another resource):
 * past this the value is unknown, instead of the stack overflowing on a chain of thousands.
 */
const MAX_REFERENCE_CHAIN = 100;

/** An AWS managed policy's document by ARN, or undefined when it is not known. */
export type ManagedPolicyLookup = (arn: string) => PolicySource | undefined;

export interface TemplateOptions {
  region: string;
  account: string;
  partition: string;
  stackName?: string;
  parameterOverrides?: Record<string, string>;
  snapshot?: AccountSnapshot;
  /** Bucket name → SSE-KMS key ARN for buckets outside the template. */
  bucketKeys?: Record<string, string>;
  /** AWS managed policy documents known offline, when the snapshot does not have them. */
  managedPolicies?: ManagedPolicyLookup;
  /** Key and bucket policies of resources outside the template (--resource-policies), by ARN. */
  resourcePolicies?: ResourcePolicies;
  /** Physical ids of resources that already exist (a deployed stack), by logical id. */
  physicalIds?: Record<string, string>;
  /** Exports of the other templates checked together (Outputs.Export.Name → value), for Fn::ImportValue. */
  exports?: ReadonlyMap<string, unknown>;
  /** Roles the other templates checked together define, by ARN. */
  sharedRoles?: ReadonlyMap<string, RoleModel>;
  /**
   * Definition texts stored in S3, by "bucket/key", fetched beforehand (the analysis itself does no I/O but local
   * files), or why one could not be read.
   */
  s3Definitions?: ReadonlyMap<string, string | Unverifiable>;
  /**
   * Where a DefinitionS3Location/DefinitionUri path may be read from: nowhere in the hook, custom resource and
   * validate (a deployed template names S3), the template's folder by default, anywhere when the user allows it.
   */
  localDefinitions?: 'none' | 'template-folder' | 'anywhere';
}

export type Json = Record<string, unknown>;

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
export class TemplateAnalysis {
  readonly file: string;
  readonly template: Json;
  readonly pseudo: Pseudo;
  readonly s3Definitions: ReadonlyMap<string, string | Unverifiable>;
  readonly localDefinitions: 'none' | 'template-folder' | 'anywhere';
  private readonly env: ResolveEnv;
  private readonly resources: Json;
  private readonly valueCache = new Map<string, ResourceValues>();
  private readonly inProgress = new Set<string>();
  private readonly conditionCache = new Map<string, ConditionValue>();

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
    this.s3Definitions = options.s3Definitions ?? new Map();
    this.localDefinitions = options.localDefinitions ?? 'template-folder';
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
      conditionInputs: (name) => this.conditionInputs(name),
      ...(options.exports ? { imports: options.exports } : {}),
      ref: (id) => this.values(id)?.ref ?? unresolved(`Ref ${id}`),
      getAtt: (id, attribute) => {
        const values = this.values(id);
        if (!values) return unresolved(`${id}.${attribute}`);
        return Object.hasOwn(values.attributes, attribute)
          ? values.attributes[attribute]
          : unresolved(`${id}.${attribute}`);
      },
    };
  }

  private parameters(): Map<string, unknown> {
    const declared = isRecord(this.template.Parameters) ? this.template.Parameters : {};
    const overrides = this.options.parameterOverrides ?? {};
    const unknownOverride = Object.keys(overrides).find((name) => !Object.hasOwn(declared, name));
    if (unknownOverride !== undefined)
      throw new InputError(
        this.file,
        `--parameter-overrides names ${unknownOverride}, which the template does not declare`,
        { path: 'Parameters' },
      );
    const values = new Map<string, unknown>();
    for (const [name, spec] of Object.entries(declared)) {
      const type = isRecord(spec) && typeof spec.Type === 'string' ? spec.Type : 'String';
      const raw =
        own(overrides, name) ??
        (isRecord(spec) && !type.startsWith('AWS::SSM::Parameter::Value') ? spec.Default : undefined);
      if (raw === undefined) values.set(name, unresolved(`parameter ${name}`));
      else if (type === 'CommaDelimitedList' || type.startsWith('List<'))
        values.set(
          name,
          Array.isArray(raw)
            ? raw.map(String)
            : String(raw)
                .split(',')
                .map((s) => s.trim()),
        );
      else values.set(name, typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw);
    }
    return values;
  }

  private condition(name: string): ConditionValue {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const conditions = isRecord(this.template.Conditions) ? this.template.Conditions : {};
    if (this.inProgress.has(`condition:${name}`) || !Object.hasOwn(conditions, name)) return false;
    // Not cached: the same condition may be decided when reached by a shorter chain.
    if (this.inProgress.size >= MAX_REFERENCE_CHAIN) return UNKNOWN_CONDITION;
    this.inProgress.add(`condition:${name}`);
    const value = evaluateCondition(conditions[name], this.env);
    this.inProgress.delete(`condition:${name}`);
    this.conditionCache.set(name, value);
    return value;
  }

  /**
   * The parameters without a value a condition depends on ("parameter Env"), through the conditions it names;
   * other unresolved values it compares are named by their marker.
   */
  conditionInputs(name: string, seen = new Set<string>()): string[] {
    const conditions = isRecord(this.template.Conditions) ? this.template.Conditions : {};
    if (seen.has(name) || !Object.hasOwn(conditions, name)) return [];
    seen.add(name);
    const inputs = new Set<string>();
    // Bounded like resolution: what lies deeper is not named (the condition is unknown either way).
    const walk = (node: unknown, depth: number): void => {
      if (depth > MAX_RESOLUTION_DEPTH) return;
      if (Array.isArray(node)) return node.forEach((item) => walk(item, depth + 1));
      if (!isRecord(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string' && this.env.parameters.has(value)) {
          const known = this.env.parameters.get(value);
          if (typeof known === 'string' && isUnresolved(known)) inputs.add(`parameter ${value}`);
        } else if (key === 'Condition' && typeof value === 'string') {
          if (seen.size >= MAX_REFERENCE_CHAIN) continue;
          for (const input of this.conditionInputs(value, seen)) inputs.add(input);
        } else walk(value, depth + 1);
      }
    };
    walk(conditions[name], 0);
    return [...inputs];
  }

  /** A resource whose Condition cannot be decided before deployment: it is analysed as present. */
  unknownCondition(id: string): { condition: string; inputs: string[] } | undefined {
    const resource = own(this.resources, id);
    if (!isRecord(resource) || typeof resource.Condition !== 'string') return undefined;
    if (this.condition(resource.Condition) !== UNKNOWN_CONDITION) return undefined;
    return { condition: resource.Condition, inputs: this.conditionInputs(resource.Condition) };
  }

  /** What this template exports (Outputs with Export.Name), resolved: the values other templates import. */
  exports(): Map<string, unknown> {
    const exported = new Map<string, unknown>();
    const outputs = isRecord(this.template.Outputs) ? this.template.Outputs : {};
    for (const output of Object.values(outputs)) {
      if (!isRecord(output) || !isRecord(output.Export)) continue;
      if (typeof output.Condition === 'string' && this.condition(output.Condition) !== true) continue;
      const name = this.resolve(output.Export.Name);
      if (typeof name !== 'string' || isUnresolved(name) || exported.has(name)) continue;
      exported.set(name, this.resolve(output.Value));
    }
    return exported;
  }

  get sharedRoles(): ReadonlyMap<string, RoleModel> {
    return this.options.sharedRoles ?? new Map();
  }

  /** Resources that may exist: no Condition, a Condition that holds, or one that cannot be decided (both worlds). */
  resource(id: string): Json | undefined {
    const resource = own(this.resources, id);
    if (!isRecord(resource)) return undefined;
    if (typeof resource.Condition === 'string' && this.condition(resource.Condition) === false) return undefined;
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
    const physicalId = own(this.options.physicalIds, id);
    if (physicalId !== undefined) {
      const known = physicalValues(type, id, physicalId, this.pseudo, this.properties(id).Path);
      this.valueCache.set(id, known);
      return known;
    }
    const props = this.properties(id);
    const names: Json = {};
    if (this.inProgress.size >= MAX_REFERENCE_CHAIN) {
      // Names reached through a chain this long are unknown; not cached, as a shorter chain may resolve them.
      for (const key of NAME_PROPERTIES)
        if (Object.hasOwn(props, key)) names[key] = unresolved('reference chain too long');
      return resourceValues(type, id, names, this.pseudo);
    }
    this.inProgress.add(id);
    for (const key of NAME_PROPERTIES) if (Object.hasOwn(props, key)) names[key] = this.resolve(props[key]);
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

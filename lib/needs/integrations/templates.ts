// Resolving the table's ARN templates against a task's arguments. Run-time fields become `*` and mark the
// resource run-time, as lib/needs/values.ts does for every other need.
import { isJsonataExpression, readField as fieldValue } from '../../asl/definition';
import { isUnresolved, lambdaFunctionArn, sqsQueueArn, stateMachineNameOf } from '../../model/arns';
import type { StateMachineContext } from '../../model/state-machine';
import { readString, type StringValue } from '../values';
import type { ArnTemplate } from './types';

/** Placeholders per resource are few; arrays (build ids, report ARNs) are capped so work stays bounded. */
const MAX_VALUES = 20;

type Shape = { whole: string } | { part: string } | { none: true };
type Transform = (value: string, runtime: boolean, ctx: StateMachineContext) => Shape;

const ARN = /^arn:[^:]+:/;
const lastSegment = (value: string) => value.split(/[/:]/).pop() ?? value;

const TRANSFORMS: ReadonlyMap<string, Transform> = new Map<string, Transform>([
  /** A name, or an ARN that is the whole resource. */
  ['arn', (v, runtime) => (!runtime && ARN.test(v) ? { whole: v } : { part: v })],
  /** SageMaker keeps resource names lower-cased in its ARNs. */
  ['lower', (v) => ({ part: v.toLowerCase() })],
  /** The name at the end of a name-or-ARN value. */
  ['name', (v) => ({ part: ARN.test(v) ? lastSegment(v) : v })],
  /** Build and batch ids are `{project}:{uuid}` (or their ARNs); the IAM resource is the project. */
  [
    'project',
    (v) => ({ part: (v.replace(/^arn:[^:]+:codebuild:[^:]*:[^:]*:build(?:-batch)?\//, '').split(':')[0] ?? v) || '*' }),
  ],
  /** Report ARNs are `report/{group}:{id}`; the IAM resource is the report group. */
  ['reportGroup', (v) => ({ part: /:report\/([^:]+):/.exec(v)?.[1] ?? '*' })],
  [
    'taskDefinition',
    (v, runtime, ctx) => {
      if (!runtime && ARN.test(v)) return { whole: v };
      const base = `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.account}:task-definition/`;
      // A family without a revision runs its latest revision: any revision of the family must be allowed.
      return { whole: `${base}${runtime || v.includes(':') ? v : `${v}:*`}` };
    },
  ],
  /** Versions and aliases of an unqualified function; nothing for a qualified one. */
  [
    'lambdaVersions',
    (v, runtime, ctx) => {
      if (runtime) return { none: true };
      const { arn, qualified } = lambdaFunctionArn(ctx, v);
      return qualified ? { none: true } : { whole: `${arn}:*` };
    },
  ],
  [
    'stateMachine',
    (v, runtime, ctx) => ({
      whole: runtime ? `arn:${ctx.partition}:states:${ctx.region}:${ctx.account}:stateMachine:*` : v,
    }),
  ],
  ['stateMachineName', (v, runtime) => ({ part: runtime ? '*' : (stateMachineNameOf(v) ?? '*') })],
  /** A job definition `name:revision`, `name` (its latest revision: any revision) or ARN. */
  [
    'revisioned',
    (v, runtime) => (!runtime && ARN.test(v) ? { whole: v } : { part: runtime || v.includes(':') ? v : `${v}:*` }),
  ],
  /** API Gateway resource paths appear in execute-api ARNs without the leading slash. */
  ['path', (v) => ({ part: v.replace(/^\//, '') })],
  /** arn:…:connection/{name}/{uuid} → name; EventBridge names the connection's secret after it. */
  ['connectionName', (v, runtime) => ({ part: runtime ? '*' : (/:connection\/([^/]+)/.exec(v)?.[1] ?? '*') })],
  [
    'sqs',
    (v, runtime, ctx) => ({
      whole: runtime ? `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.account}:*` : (sqsQueueArn(ctx, v) ?? '*'),
    }),
  ],
  [
    'lambda',
    (v, runtime, ctx) => ({
      whole: runtime
        ? `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:*`
        : lambdaFunctionArn(ctx, v).arn,
    }),
  ],
  [
    'role',
    (v, runtime, ctx) => ({
      whole:
        !runtime && ARN.test(v) ? v : `arn:${ctx.partition}:iam::${ctx.account}:role/${runtime ? '*' : lastSegment(v)}`,
    }),
  ],
  /** s3://bucket/key → the object's ARN. */
  [
    's3uri',
    (v, runtime, ctx) => ({
      whole: `arn:${ctx.partition}:s3:::${runtime ? '*' : v.replace(/^s3:\/\//, '')}`,
    }),
  ],
  /** A foundation model id, or the ARN of a provisioned, custom or imported model or inference profile. */
  [
    'bedrockModel',
    (v, runtime, ctx) => ({
      whole: !runtime && ARN.test(v) ? v : `arn:${ctx.partition}:bedrock:${ctx.region}::foundation-model/${v}`,
    }),
  ],
  /** `{api-id}.execute-api.{region}.amazonaws.com` → the API id or the Region. */
  ['apiId', (v, runtime) => ({ part: runtime ? '*' : (v.split('.')[0] ?? '*') })],
  ['apiRegion', (v, runtime) => ({ part: runtime ? '*' : (/\.execute-api\.([a-z0-9-]+)\./.exec(v)?.[1] ?? '*') })],
]);

export function transformNames(): string[] {
  return [...TRANSFORMS.keys()];
}

/**
 * Read a dotted argument path; arrays (of strings, or of objects in the middle of the path) yield each element,
 * an element without the field takes `fallback`. Undefined when the argument is absent.
 */
export function readPath(args: unknown, path: string, fallback?: string): StringValue[] | undefined {
  const values = readKeys(args, path.split('.'), path, fallback);
  return values === undefined || values.length === 0 ? undefined : values.slice(0, MAX_VALUES);
}

function readKeys(container: unknown, keys: string[], path: string, fallback?: string): StringValue[] | undefined {
  const [key, ...rest] = keys;
  if (key === undefined) return undefined;
  const field = fieldValue(container, key);
  if (field === undefined)
    return fallback === undefined ? undefined : [{ value: fallback, runtime: false, field: path }];
  if (field.kind === 'runtime') {
    const written = [...path.split('.').slice(0, path.split('.').length - rest.length - 1), field.field].join('.');
    return [{ value: '*', runtime: true, expression: field.expression, field: written }];
  }
  if (rest.length === 0) {
    if (Array.isArray(field.value))
      return field.value.slice(0, MAX_VALUES).map((element) => elementValue(element, path));
    const value = readString(container, key);
    return value === undefined ? undefined : [{ ...value, field: value.field === key ? path : `${path}.$` }];
  }
  if (Array.isArray(field.value))
    return field.value.slice(0, MAX_VALUES).flatMap((element) => readKeys(element, rest, path, fallback) ?? []);
  return readKeys(field.value, rest, path, fallback);
}

function elementValue(element: unknown, path: string): StringValue {
  if (typeof element === 'string' && !isJsonataExpression(element) && !isUnresolved(element))
    return { value: element, runtime: false, field: path };
  return { value: '*', runtime: true, expression: typeof element === 'string' ? element : path, field: path };
}

export interface Resolution {
  resources: string[];
  values: StringValue[];
  /** Placeholders whose argument is absent and has no default. */
  missing: string[];
}

const PLACEHOLDER = /(?<!\$)\{([A-Za-z0-9.]+)(?:\|([A-Za-z0-9]+))?\}/g;

export function resolveTemplate(
  template: ArnTemplate,
  args: unknown,
  ctx: StateMachineContext,
  defaults: Record<string, string> = {},
): Resolution {
  const base = template
    .replaceAll('${Partition}', ctx.partition)
    .replaceAll('${Region}', ctx.region)
    .replaceAll('${Account}', ctx.account)
    .replaceAll('${StateMachineName}', ctx.name);
  let partial: string[] = [base];
  const values: StringValue[] = [];
  const missing: string[] = [];
  for (const match of base.matchAll(PLACEHOLDER)) {
    const [text, path = '', transformName] = match;
    const transform = transformName === undefined ? undefined : TRANSFORMS.get(transformName);
    if (transformName !== undefined && transform === undefined) throw new Error(`unknown transform in ${template}`);
    let read = readPath(args, path, Object.hasOwn(defaults, path) ? defaults[path] : undefined);
    if (read === undefined) {
      missing.push(path);
      read = [{ value: '*', runtime: true, expression: `missing ${path}`, field: path }];
    }
    values.push(...read);
    const shapes = read.map((v) => (transform ? transform(v.value, v.runtime, ctx) : { part: v.value }));
    partial = partial
      .flatMap((resource) =>
        shapes.flatMap((s) => ('none' in s ? [] : 'whole' in s ? [s.whole] : [resource.replace(text, s.part)])),
      )
      .slice(0, MAX_VALUES);
  }
  return { resources: [...new Set(partial)], values, missing };
}

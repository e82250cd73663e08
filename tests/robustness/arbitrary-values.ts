// fast-check arbitraries for the values templates, definitions and policies are made of: names (hostile ones
// included), junk, ARNs, actions, intrinsics, IAM policy documents; and the mutation and serialisation every input
// goes through. Shared by the properties in tests/robustness and the limits rows of npm run bench.
import fc from 'fast-check';
import { Document, isNode, isScalar, visit } from 'yaml';

/** The size limits every property states and the bench measures at. */
export const LIMITS = {
  /** Resources in a template. */
  resources: 12,
  /** States in one (sub)definition; Maps nest up to `mapDepth` levels. */
  states: 6,
  mapDepth: 4,
  /** Statements in a policy document. */
  statements: 6,
  /** Levels of a deeply nested value put somewhere in a template or policy. */
  nesting: 1_000,
} as const;

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Text of `first` then up to `max` more of `rest` (fc.stringMatching is far slower to generate). */
export function word(first: string, rest: string, min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), minLength: min, maxLength: max }))
    .map(([head, tail]) => head + tail);
}
export const ALNUM = `${LETTERS}0123456789`;

/** Names that reach Object.prototype when looked up on plain objects. */
export const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
export const name = fc.oneof(
  { weight: 4, arbitrary: word('ABCDEFGHIJKLMNOPQRSTUVWXYZ', ALNUM, 0, 11) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);

/** Any small JSON value, or text that means something to a parser or a template. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 6, arbitrary: fc.constantFrom('{"StartAt":', '{% $states.input %}', '${AWS::Region}', '*', '') },
  { weight: 1, arbitrary: fc.string({ minLength: 2_000, maxLength: 5_000 }) },
);

/** junk, or a value nested up to LIMITS.nesting levels deep: what a mutation puts in. */
const replacement: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: junk },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: LIMITS.nesting }).map(deep) },
);

/** A value nested `levels` deep, alternating arrays and objects. */
function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { Nested: value };
  return value;
}

export const ACCOUNT = '123456789012';
export const arn = fc.oneof(
  fc.constantFrom(
    '*',
    'arn:aws:s3:::orders-input/*',
    'arn:aws:s3:::orders-input',
    'arn:aws:s3:::*a*a*a*a*a*a*a*a*b',
    `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work`,
    `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work:*`,
    `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:*`,
    `arn:aws:states:us-east-1:${ACCOUNT}:execution:orders/*`,
    `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'arn:${AWS::Partition}:s3:::${Bucket}/*',
  ),
  fc.constantFrom(
    'arn:aws:s3:::orders-*/data/*',
    'arn:aws:s3:::orders-input/data/a.csv',
    `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
    `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:orders`,
  ),
  fc.string({ maxLength: 40 }),
);
const action = fc.oneof(
  fc.constantFrom(
    '*',
    's3:*',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
    's3:Get*',
    'states:StartExecution',
    'states:*',
    'lambda:InvokeFunction',
    'kms:Decrypt',
    'kms:GenerateDataKey',
    'iam:PassRole',
    'sts:AssumeRole',
  ),
  fc.constantFrom('s3:*Object', 's3:L?stBucket', 'kms:*', 'lambda:Invoke*', 'states:Describe*'),
  // Services named like Object.prototype's properties: the IAM catalogue must not take them for services.
  fc.constantFrom(...HOSTILE_NAMES).map((service) => `${service}:GetObject`),
  fc.string({ maxLength: 20 }),
);

/** An intrinsic function over `ids` (logical ids of the same template), or a plain value. */
export function intrinsic(ids: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const id = ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), name) : name;
  return fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 1, arbitrary: id.map((r) => ({ Ref: r })) },
    {
      weight: 1,
      arbitrary: fc.tuple(id, fc.constantFrom('Arn', 'Name', 'KeyId', 'x')).map((a) => ({ 'Fn::GetAtt': a })),
    },
    { weight: 1, arbitrary: id.map((r) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${${r}}/*` })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 20 }), fc.dictionary(name, value, { maxKeys: 2 }))
        .map((s) => ({ 'Fn::Sub': s })),
    },
    { weight: 1, arbitrary: fc.array(value, { maxLength: 3 }).map((parts) => ({ 'Fn::Join': ['', parts] })) },
    { weight: 1, arbitrary: fc.tuple(name, value, value).map((i) => ({ 'Fn::If': i })) },
    { weight: 1, arbitrary: fc.tuple(name, name, name).map((m) => ({ 'Fn::FindInMap': m })) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(3), fc.array(value, { maxLength: 3 })).map((s) => ({ 'Fn::Select': s })) },
    { weight: 1, arbitrary: name.map((v) => ({ 'Fn::ImportValue': v })) },
    { weight: 1, arbitrary: junk },
  );
}

const condition = fc.dictionary(
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        'StringEquals',
        'StringLike',
        'ForAllValues:StringLike',
        'ArnLike',
        'StringNotEquals',
        'Null',
        'DateGreaterThan',
      ),
    },
    { weight: 1, arbitrary: name },
  ),
  fc.dictionary(
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.constantFrom('s3:prefix', 'aws:SourceArn', 'aws:PrincipalTag/team', 'aws:CurrentTime'),
      },
      { weight: 1, arbitrary: name },
    ),
    fc.oneof(
      {
        weight: 10,
        arbitrary: fc.oneof(
          fc.constantFrom('data/*', 'true', '2026-01-01T00:00:00Z'),
          fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
        ),
      },
      { weight: 1, arbitrary: junk },
    ),
    { minKeys: 1, maxKeys: 2 },
  ),
  { minKeys: 1, maxKeys: 2 },
);

/** A statement: Action or NotAction, Resource or NotResource, now and then a condition; rarely a broken field. */
function statement(ids: string[]): fc.Arbitrary<Record<string, unknown>> {
  const one = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { minLength: 1, maxLength: 4 }));
  const resource = ids.length > 0 ? intrinsic(ids, arn) : arn;
  return fc
    .record(
      {
        Sid: fc.string({ unit: fc.constantFrom(...ALNUM), maxLength: 10 }),
        Effect: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: junk }),
        actions: fc.tuple(fc.constantFrom('Action', 'Action', 'Action', 'NotAction'), one(action)),
        resources: fc.tuple(fc.constantFrom('Resource', 'Resource', 'Resource', 'NotResource'), one(resource)),
        Condition: fc.oneof(fc.constant(undefined), fc.constant(undefined), condition),
      },
      { requiredKeys: ['Effect', 'actions', 'resources'] },
    )
    .map(({ actions: [actionKey, actionValue], resources: [resourceKey, resourceValue], ...rest }) => ({
      ...rest,
      [actionKey]: actionValue,
      [resourceKey]: resourceValue,
    }));
}

/** An IAM policy document; `ids` are the template's logical ids its intrinsics may name. */
export function policyDocument(ids: string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record(
        {
          Version: fc.oneof(
            { weight: 12, arbitrary: fc.constant('2012-10-17') },
            { weight: 1, arbitrary: fc.constantFrom('2008-10-17', 'x') },
          ),
          Statement: fc.oneof(
            { weight: 8, arbitrary: fc.array(statement(ids), { minLength: 1, maxLength: LIMITS.statements }) },
            { weight: 2, arbitrary: statement(ids) },
            { weight: 1, arbitrary: junk },
          ),
        },
        { requiredKeys: ['Version', 'Statement'] },
      ),
    },
    { weight: 1, arbitrary: junk },
  );
}

/** An object from entries, "__proto__" included as an own key (as JSON.parse makes it). */
export function withOwnKeys(entries: Array<[string, unknown]>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

/** `value` as it is, or with one value on a path replaced by junk or removed. */
export function mutated<T>(value: T): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(value) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }), replacement, fc.boolean())
        .map(([path, replacement, remove]) => replaceOnPath(value, path, replacement, remove)),
    },
  );
}

function replaceOnPath<T>(value: T, path: number[], replacement: unknown, remove: boolean): T {
  const copy = structuredClone(value);
  let node: unknown = copy;
  for (let depth = 0; depth < path.length; depth++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(path[depth] as number) % keys.length] as string;
    const record = node as Record<string, unknown>;
    const child = Object.getOwnPropertyDescriptor(record, key)?.value as unknown;
    if (depth === path.length - 1 || typeof child !== 'object' || child === null) {
      if (remove) delete record[key];
      else
        Object.defineProperty(record, key, {
          value: replacement,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      break;
    }
    node = child;
  }
  return copy;
}

/**
 * A document as a file's text: JSON; YAML with intrinsics in long form (Fn::Sub:) or short form (!Sub), flow style
 * where it nests too deep for block style; or either cut short.
 */
export function documentText(document: fc.Arbitrary<unknown>): fc.Arbitrary<{ text: string; extension: string }> {
  return fc
    .tuple(
      document,
      fc.constantFrom('json', 'yaml', 'yaml-short-form'),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
      ),
    )
    .map(([value, format, cut]) => {
      const whole = format === 'json' ? (JSON.stringify(value, null, 1) ?? 'null') : yamlText(value, format !== 'yaml');
      const extension = format === 'json' ? 'json' : 'yaml';
      return { text: cut === null ? whole : whole.slice(0, Math.floor(whole.length * cut)), extension };
    });
}

/** Block style, or JSON (which is YAML flow style) for a value too deep for the yaml package's recursive writer. */
function yamlText(value: unknown, shortForm: boolean): string {
  if (depthOf(value) > 64) return JSON.stringify(value) ?? 'null';
  const doc = new Document(value, { aliasDuplicateObjects: false });
  if (shortForm)
    visit(doc, {
      // { Ref: x } → !Ref x, { "Fn::GetAtt": [...] } → !GetAtt [...]: the value node, tagged.
      Map(_key, node) {
        const pair = node.items.length === 1 ? node.items[0] : undefined;
        const key = pair && isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key !== 'string' || !(key === 'Ref' || key.startsWith('Fn::'))) return undefined;
        const tagged = pair?.value;
        if (!isNode(tagged)) return undefined;
        tagged.tag = `!${key === 'Ref' ? 'Ref' : key.slice(4)}`;
        return tagged;
      },
    });
  return doc.toString();
}

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    deepest = Math.max(deepest, depth);
    if (typeof node === 'object' && node !== null)
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

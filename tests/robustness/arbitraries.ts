// fast-check arbitraries for CloudFormation-shaped templates, state machine definitions, IAM policies and custom
// resource events: real shapes with arbitrary and mutated values, intrinsics, deep nesting and names such as
// "__proto__" and "constructor". Shared by the properties in tests/robustness and the limits rows of npm run bench.
import fc from 'fast-check';
import { stringify } from 'yaml';

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

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Text of `first` then up to `max` more of `rest` (fc.stringMatching is far slower to generate). */
function word(first: string, rest: string, min: number, max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), minLength: min, maxLength: max }))
    .map(([head, tail]) => head + tail);
}
const ALNUM = `${LETTERS}0123456789`;

/** Names that reach Object.prototype when looked up on plain objects. */
const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const name = fc.oneof(
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

const ACCOUNT = '123456789012';
const arn = fc.oneof(
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
  fc.string({ maxLength: 20 }),
);

/** An intrinsic function over `ids` (logical ids of the same template), or a plain value. */
function intrinsic(ids: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
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

const stateName = fc.oneof(word(LETTERS, `${LETTERS} `, 0, 9), fc.constantFrom(...HOSTILE_NAMES));

const task = fc.record(
  {
    Type: fc.constant('Task'),
    Resource: fc.oneof(
      fc.constantFrom(
        'arn:aws:states:::lambda:invoke',
        'arn:aws:states:::states:startExecution.sync:2',
        'arn:aws:states:::s3:getObject',
        'arn:aws:states:::aws-sdk:s3:putObject',
        'arn:aws:states:::aws-sdk:dynamodb:getItem',
        `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work`,
      ),
      fc.string({ maxLength: 30 }),
    ),
    Parameters: fc.dictionary(
      fc.oneof(fc.constantFrom('FunctionName', 'StateMachineArn', 'Bucket', 'Key', 'Bucket.$'), name),
      fc.oneof(arn, fc.constantFrom('$.bucket', '$$.Execution.Id', '{% $states.input.x %}'), junk),
      { maxKeys: 3 },
    ),
    Arguments: fc.oneof(fc.constant(undefined), fc.constant(undefined), fc.constant(undefined), junk),
    End: fc.constant(true),
  },
  { requiredKeys: ['Type', 'Resource', 'End'] },
);
const simple = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ Type: 'Pass', End: true }) },
  { weight: 1, arbitrary: fc.constant({ Type: 'Succeed' }) },
  { weight: 6, arbitrary: task },
  {
    weight: 1,
    arbitrary: fc.record({ Type: fc.constantFrom('Choice', 'Wait', 'Parallel', 'Fail', 'Bogus'), End: fc.boolean() }),
  },
);

/** A state: a simple one or a Distributed Map whose ItemProcessor nests maps up to `depth` more levels. */
const stateArbitraries = new Map<number, fc.Arbitrary<unknown>>();
function definitionState(depth: number): fc.Arbitrary<unknown> {
  const known = stateArbitraries.get(depth);
  if (known) return known;
  const map: fc.Arbitrary<unknown> =
    depth <= 0
      ? simple
      : fc.record(
          {
            Type: fc.constant('Map'),
            ItemReader: fc.record(
              {
                Resource: fc.constantFrom(
                  'arn:aws:states:::s3:listObjectsV2',
                  'arn:aws:states:::s3:getObject',
                  'arn:aws:states:::s3:getObject.sync',
                  'arn:aws:states:::bogus',
                ),
                Parameters: fc.record(
                  {
                    Bucket: fc.oneof(fc.constantFrom('orders-input', '${Bucket}', ''), junk),
                    Prefix: fc.string({ maxLength: 10 }),
                    Key: fc.string({ maxLength: 10 }),
                    'Bucket.$': fc.constant('$.bucket'),
                  },
                  { requiredKeys: [] },
                ),
                ReaderConfig: fc.record({ InputType: fc.constantFrom('CSV', 'JSON', 'MANIFEST', 'JSONL', 'x') }),
              },
              { requiredKeys: ['Resource'] },
            ),
            ResultWriter: fc.record({
              Resource: fc.constantFrom('arn:aws:states:::s3:putObject', 'x'),
              Parameters: fc.record({ Bucket: fc.oneof(fc.constant('orders-results'), junk), Prefix: fc.string() }),
            }),
            ItemProcessor: fc
              .tuple(
                fc.record({
                  Mode: fc.constantFrom('DISTRIBUTED', 'INLINE', 'x'),
                  ExecutionType: fc.constantFrom('STANDARD', 'EXPRESS', 'x'),
                }),
                states(definitionState(depth - 1)),
              )
              .map(([config, sub]) => ({ ProcessorConfig: config, ...sub })),
            MaxConcurrency: fc.oneof({ weight: 6, arbitrary: fc.nat(1000) }, { weight: 1, arbitrary: junk }),
            End: fc.constant(true),
          },
          { requiredKeys: ['Type', 'ItemProcessor', 'End'] },
        );
  const state = fc.oneof({ weight: 2, arbitrary: simple }, { weight: 1, arbitrary: map });
  stateArbitraries.set(depth, state);
  return state;
}

/** An ASL definition, its Distributed Maps nesting up to `depth` levels; now and then junk. */
export function definition(depth: number = LIMITS.mapDepth): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: states(definitionState(depth)) }, { weight: 1, arbitrary: junk });
}

/** StartAt (one of the states, or now and then another name) and States, the states drawn from `state`. */
function states(state: fc.Arbitrary<unknown>): fc.Arbitrary<{ StartAt: unknown; States: Record<string, unknown> }> {
  return fc
    .uniqueArray(fc.tuple(stateName, state), { minLength: 1, maxLength: LIMITS.states, selector: ([n]) => n })
    .chain((entries) =>
      fc
        .oneof(
          { weight: 30, arbitrary: fc.constantFrom(...entries.map(([n]) => n)) },
          { weight: 1, arbitrary: fc.oneof(stateName, junk) },
        )
        .map((start) => ({ StartAt: start, States: withOwnKeys(entries) })),
    );
}

/** An object from entries, "__proto__" included as an own key (as JSON.parse makes it). */
function withOwnKeys(entries: Array<[string, unknown]>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

type Resource = { Type: string; Properties?: unknown; DependsOn?: unknown; Condition?: unknown };

/** A resource of the template; `machine` makes it a state machine (each template has one at least). */
function resource(ids: string[], machine: boolean): fc.Arbitrary<Resource> {
  const ref = <T>(value: fc.Arbitrary<T>) => intrinsic(ids, value);
  const roleArn = ref(fc.constantFrom(`arn:aws:iam::${ACCOUNT}:role/orders`, 'not an arn'));
  const kinds: Array<fc.Arbitrary<Resource>> = [
    fc.record({
      Type: fc.constantFrom('AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine'),
      Properties: fc.record(
        {
          RoleArn: roleArn,
          Role: roleArn,
          Definition: definition(),
          DefinitionString: fc.oneof(
            definition().map((d) => JSON.stringify(d) ?? ''),
            definition().map((d) => ({ 'Fn::Sub': JSON.stringify(d) ?? '' })),
            junk,
          ),
          DefinitionSubstitutions: fc.dictionary(name, ref(fc.string({ maxLength: 20 })), { maxKeys: 3 }),
          StateMachineType: fc.constantFrom('STANDARD', 'EXPRESS', 'x'),
          Policies: fc.array(fc.oneof(policyDocument(ids), fc.string({ maxLength: 20 })), { maxLength: 2 }),
          EncryptionConfiguration: fc.record({
            Type: fc.constantFrom('CUSTOMER_MANAGED_KMS_KEY', 'AWS_OWNED_KEY'),
            KmsKeyId: ref(arn),
          }),
          LoggingConfiguration: junk,
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      Type: fc.constant('AWS::IAM::Role'),
      Properties: fc.record(
        {
          AssumeRolePolicyDocument: policyDocument(ids),
          Policies: fc.array(fc.record({ PolicyName: name, PolicyDocument: policyDocument(ids) }), { maxLength: 3 }),
          ManagedPolicyArns: fc.array(ref(arn), { maxLength: 2 }),
          PermissionsBoundary: ref(arn),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      Type: fc.constantFrom('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy'),
      Properties: fc.record(
        {
          PolicyName: name,
          PolicyDocument: policyDocument(ids),
          Roles: fc.array(ref(name), { maxLength: 2 }),
          RoleName: ref(name),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      Type: fc.constant('AWS::S3::Bucket'),
      Properties: fc.record(
        {
          BucketName: ref(fc.constantFrom('orders-input', 'orders-results', '')),
          BucketEncryption: fc.record({
            ServerSideEncryptionConfiguration: fc.array(
              fc.record({
                ServerSideEncryptionByDefault: fc.record({
                  SSEAlgorithm: fc.constantFrom('aws:kms', 'AES256', 'aws:kms:dsse'),
                  KMSMasterKeyID: ref(arn),
                }),
              }),
              { maxLength: 2 },
            ),
          }),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      Type: fc.constantFrom('AWS::KMS::Key', 'AWS::S3::BucketPolicy'),
      Properties: fc.record(
        { KeyPolicy: policyDocument(ids), PolicyDocument: policyDocument(ids), Bucket: ref(name) },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ Type: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('AWS::Lambda::Function')), Properties: junk }),
  ];
  return fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: fc.record({ DependsOn: ref(name), Condition: name }, { requiredKeys: [] }) },
      ),
      machine ? (kinds[0] as fc.Arbitrary<Resource>) : fc.oneof(...kinds),
    )
    .map(([extra, kind]) => ({ ...extra, ...kind }));
}

/** A template: logical ids first, so references can name them; some values then replaced by junk. */
export const template: fc.Arbitrary<unknown> = fc
  .uniqueArray(name, { minLength: 1, maxLength: LIMITS.resources })
  .chain((ids) =>
    fc.record(
      {
        AWSTemplateFormatVersion: fc.constant('2010-09-09'),
        Transform: fc.constantFrom('AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions'),
        Parameters: fc.dictionary(
          name,
          fc.record({ Type: fc.constant('String'), Default: fc.string({ maxLength: 10 }) }),
          {
            maxKeys: 2,
          },
        ),
        Mappings: fc.dictionary(name, fc.dictionary(name, fc.dictionary(name, junk, { maxKeys: 2 }), { maxKeys: 2 }), {
          maxKeys: 1,
        }),
        Conditions: fc.dictionary(name, junk, { maxKeys: 2 }),
        Resources: fc
          .tuple(...ids.map((_id, i) => resource(ids, i === 0)))
          .map((rs) => withOwnKeys(ids.map((id, i) => [id, rs[i]]))),
      },
      { requiredKeys: ['Resources'] },
    ),
  )
  .chain((doc) => mutated(doc));

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

/** A document as a file's text: JSON, YAML (flow style where it nests too deep for block style), or cut short. */
export function documentText(document: fc.Arbitrary<unknown>): fc.Arbitrary<{ text: string; extension: string }> {
  return fc
    .tuple(
      document,
      fc.constantFrom('json', 'yaml'),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
      ),
    )
    .map(([value, extension, cut]) => {
      const whole = extension === 'json' ? (JSON.stringify(value, null, 1) ?? 'null') : yamlText(value);
      return { text: cut === null ? whole : whole.slice(0, Math.floor(whole.length * cut)), extension };
    });
}

/** Block style, or JSON (which is YAML flow style) for a value too deep for the yaml package's recursive writer. */
function yamlText(value: unknown): string {
  return depthOf(value) <= 64 ? stringify(value, { aliasDuplicateObjects: false }) : (JSON.stringify(value) ?? 'null');
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

const RESPONSE_URL =
  'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack/orders/id%7CCheck%7Creq?X-Amz-Signature=1';

/**
 * A custom resource event within CloudFormation's sizes (LogicalResourceId ≤ 255 characters, RequestId and
 * PhysicalResourceId ≤ 1 KB), with arbitrary properties; or, now and then, an event CloudFormation never sends.
 */
export const customResourceEvent: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record(
        {
          RequestType: fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom('Create', 'Update', 'Delete') },
            { weight: 1, arbitrary: junk },
          ),
          ResponseURL: fc.oneof({ weight: 8, arbitrary: fc.constant(RESPONSE_URL) }, { weight: 1, arbitrary: junk }),
          StackId: fc.oneof(
            fc.constant(
              `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/orders/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d`,
            ),
            fc.string({ minLength: 1, maxLength: 256 }),
          ),
          RequestId: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 256 })),
          LogicalResourceId: fc.oneof(
            name.filter((n) => n !== ''),
            word(ALNUM, ALNUM, 0, 254),
          ),
          ResourceType: fc.constant('Custom::DistributedMapPermissionCheck'),
          PhysicalResourceId: fc.oneof(fc.string({ maxLength: 256 }), junk),
          ResourceProperties: fc.oneof(
            {
              weight: 6,
              arbitrary: fc.record(
                {
                  ServiceToken: fc.constant(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:dmap-guard-custom-resource`),
                  StateMachineArn: fc.oneof(
                    fc.constant(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:orders`),
                    junk,
                  ),
                  Definition: definition(),
                  DefinitionString: fc.oneof(
                    definition().map((d) => JSON.stringify(d) ?? ''),
                    junk,
                  ),
                  DefinitionSubstitutions: fc.dictionary(name, fc.oneof(fc.string({ maxLength: 20 }), junk), {
                    maxKeys: 3,
                  }),
                  RoleArn: fc.oneof(fc.constant(`arn:aws:iam::${ACCOUNT}:role/orders`), junk),
                  StateMachineName: fc.oneof(name, junk),
                  FailOn: fc.oneof(fc.constantFrom('error', 'unverified', 'warning', 'never'), junk),
                },
                { requiredKeys: ['ServiceToken'] },
              ),
            },
            { weight: 1, arbitrary: junk },
          ),
        },
        { requiredKeys: ['RequestType', 'ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'] },
      )
      .chain((event) => mutated(event)),
  },
  { weight: 1, arbitrary: fc.anything() },
);

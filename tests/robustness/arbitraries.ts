// fast-check arbitraries for CloudFormation-shaped templates and custom resource events: real shapes with arbitrary
// and mutated values, intrinsics, deep nesting and names such as "__proto__" and "constructor". Shared by the
// properties in tests/robustness and the limits rows of npm run bench.
import fc from 'fast-check';
import { definition } from './arbitrary-definitions';
import {
  ACCOUNT,
  ALNUM,
  LIMITS,
  arn,
  intrinsic,
  junk,
  mutated,
  name,
  policyDocument,
  withOwnKeys,
  word,
} from './arbitrary-values';

export { definition } from './arbitrary-definitions';
export { LIMITS, documentText, junk, mutated, policyDocument } from './arbitrary-values';

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

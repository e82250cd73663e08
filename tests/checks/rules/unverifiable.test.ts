import { unverifiable } from '../../../lib/checks/rules/unverifiable';
import { MACHINE_ARN, allow, checkCase, machineTemplate, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, ITEMS, RECOMMENDED, REQUIRED, distributedMap } from '../machines';

// What cannot be read or decided is reported as unverifiable, never as missing nor as passed; a snapshot of
// https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html makes roles readable.
const EXTERNAL = 'arn:aws:iam::123456789012:role/external';
const withManagedPolicy = (policies: unknown[]) => {
  const template = machineTemplate({ definition: distributedMap(), policies });
  const role = (template.Resources as Record<string, { Properties: Record<string, unknown> }>).Role;
  if (role) role.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess'];
  return template;
};
/** aws:SourceIp of a Step Functions request is not documented: context-keys research, GCK
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html */
const READ_FROM_OFFICE = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: ITEMS,
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    },
  ],
};

/** Every statement of DMAP_POLICY but the GetObject one. */
const DMAP_STATEMENTS_BUT_READ: Array<[string | string[], string | string[]]> = RECOMMENDED;

ruleTester(unverifiable).run('unverifiable', {
  valid: [
    { name: 'a role defined in the template', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    {
      name: 'a fully known role that misses permissions (missing-permission reports them)',
      machine: { definition: distributedMap(), policies: [] },
    },
  ],
  invalid: [
    {
      name: 'a role outside the template',
      machine: { definition: distributedMap(), roleArn: EXTERNAL },
      errors: [
        {
          messageId: 'roleUnreadable',
          state: '$',
          actions: [],
          resources: [EXTERNAL],
          message: new RegExp(`^Role ${EXTERNAL} cannot be read \\(.+\\), so none of the 5 needs can be checked\\.$`),
        },
      ],
    },
    {
      name: 'a RoleArn that cannot be resolved',
      machine: { definition: distributedMap(), roleArn: { 'Fn::ImportValue': 'SharedRoleArn' } },
      errors: [
        { messageId: 'roleUnresolved', state: '$', actions: [], message: /cannot be resolved, so none of the 5 needs/ },
      ],
    },
    {
      name: 'an AWS managed policy beside inline ones: each need they do not prove, in need order',
      template: withManagedPolicy([allow(...REQUIRED.slice(0, 1))]),
      errors: [
        { messageId: 'policiesUnreadable', state: '$', actions: [], message: /AWSStepFunctionsFullAccess/ },
        { messageId: 'needUnproven', state: '$.States.Map', actions: ['states:DescribeExecution'] },
        { messageId: 'needUnproven', state: '$.States.Map', actions: ['states:StopExecution'] },
        { messageId: 'needUnproven', state: '$.States.Map', actions: ['states:RedriveExecution'] },
        {
          messageId: 'needUnproven',
          state: '$.States.Map',
          actions: ['s3:GetObject'],
          resources: [ITEMS],
          message: `Cannot prove required s3:GetObject on ${ITEMS} ($.States.Map (ItemReader.Parameters.Key)): the policies dmap-guard can read do not allow it, and the unread ones might.`,
        },
      ],
    },
    {
      name: 'a grant under a condition on a context key dmap-guard cannot know names the key',
      template: withManagedPolicy([
        allow(['states:StartExecution', MACHINE_ARN], ...DMAP_STATEMENTS_BUT_READ),
        READ_FROM_OFFICE,
      ]),
      errors: [
        { messageId: 'policiesUnreadable', state: '$' },
        {
          messageId: 'needContextKeys',
          state: '$.States.Map',
          actions: ['s3:GetObject'],
          message: /has a condition on aws:SourceIp, whose value in this request dmap-guard cannot know\.$/,
        },
      ],
    },
    {
      name: 'a trust policy naming Step Functions only in a regional form',
      machine: {
        definition: distributedMap(),
        policies: [DMAP_POLICY],
        trust: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'states.us-east-1.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
      errors: [
        {
          messageId: 'trustUndecided',
          state: 'Role/AssumeRolePolicyDocument',
          action: 'sts:AssumeRole',
          message: /regional form/,
        },
      ],
    },
    {
      name: 'a suppression written for the old id unverifiable-policy still applies',
      machine: {
        definition: distributedMap(),
        roleArn: EXTERNAL,
        suppress: [{ rule: 'unverifiable-policy', reason: 'role reviewed by the platform team' }],
      },
      errors: [{ messageId: 'roleUnreadable', state: '$', suppressed: 'role reviewed by the platform team' }],
    },
  ],
});

// Key and bucket policies not known (offline, outside the template and --resource-policies): in the role's account a
// bucket policy can deny what the role allows or allow what it does not (identity OR resource policy, any Deny wins,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); in another account both
// must allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
const UNKNOWN = new Map();
const READ_AND_WRITE = distributedMap({
  ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'in-bucket', Prefix: 'results' } },
});
const PARTNER_READ = distributedMap({
  ItemReader: {
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'JSON' },
    Parameters: { Bucket: 'in-bucket', Key: 'items.json', ExpectedBucketOwner: '210987654321' },
  },
});
const ALL = allow(['*', '*']);
const DENY_READ = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }],
};

ruleTester(unverifiable).run('unverifiable (key and bucket policies not known)', {
  valid: [
    { name: 'a bucket known to have no bucket policy', machine: { definition: READ_AND_WRITE, policies: [ALL] } },
    {
      name: 'the role denies it: missing-permission reports the error, nothing is left to decide',
      machine: { definition: distributedMap(), policies: [DMAP_POLICY, DENY_READ] },
      resourcePolicies: UNKNOWN,
    },
    {
      name: 'a bucket in another account the role grants nothing on: missing-permission (both must allow)',
      machine: { definition: PARTNER_READ, policies: [allow(['states:StartExecution', MACHINE_ARN], ...RECOMMENDED)] },
      resourcePolicies: UNKNOWN,
    },
  ],
  invalid: [
    {
      name: 'a bucket of the account whose policy is not known: one finding for all the needs on it',
      machine: { definition: READ_AND_WRITE, policies: [ALL] },
      resourcePolicies: UNKNOWN,
      errors: [
        {
          messageId: 'resourcePolicyUnknown',
          state: '$.States.Map',
          actions: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          resources: ['arn:aws:s3:::in-bucket'],
          message:
            /^Cannot decide 3 needs without the bucket policy of in-bucket, which is not known: a bucket policy can deny what the role allows, and in the role's account allow what the role does not \(in another account it must allow the role too\)\. The needs: required s3:GetObject on arn:aws:s3:::in-bucket\/items\.json \(\$\.States\.Map \(ItemReader\.Parameters\.Key\)\); required s3:PutObject on /,
        },
      ],
    },
    {
      name: 'a read the role does not grant: undecided too, since the bucket policy could allow it',
      machine: {
        definition: distributedMap(),
        policies: [allow(['states:StartExecution', MACHINE_ARN], ...RECOMMENDED)],
      },
      resourcePolicies: UNKNOWN,
      errors: [
        {
          messageId: 'resourcePolicyUnknown',
          state: '$.States.Map',
          action: 's3:GetObject',
          message: /which is not known: .*, and the role's own policies do not allow all of them\. The needs: required/,
        },
      ],
    },
    {
      name: 'a bucket in another account (ExpectedBucketOwner) the role allows: its policy must allow too',
      machine: { definition: PARTNER_READ, policies: [DMAP_POLICY] },
      resourcePolicies: UNKNOWN,
      errors: [
        {
          messageId: 'resourcePolicyUnknown',
          state: '$.States.Map',
          action: 's3:GetObject',
          message: /which is not known: the bucket is in account 210987654321, so its policy must allow the role too\./,
        },
      ],
    },
  ],
});

describe('the fix of a key or bucket policy not known', () => {
  it('says how to pass the bucket policy, with the command that prints it', async () => {
    const { findings } = await checkCase(
      { name: 'bucket', machine: { definition: distributedMap(), policies: [DMAP_POLICY] }, resourcePolicies: UNKNOWN },
      [unverifiable],
    );
    expect(findings.map((f) => f.fix)).toEqual([
      'Pass the bucket policy with --resource-policies <file> (the CDK validator: its resourcePolicies option), a JSON file {"arn:aws:s3:::in-bucket": <the output of `aws s3api get-bucket-policy --bucket in-bucket --query Policy --output text`>} (null instead when that answers NoSuchBucketPolicy: the bucket has none); or check in the account (the hook, the validate function, dmap-guard audit), which reads it.',
    ]);
  });
});

// KMS keys by alias: the AWS managed key needs no IAM grant (its key policy lets the account use it through S3:
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk); an alias outside the template
// names no key, so it is unverifiable — and a grant on the alias ARN never satisfies the key.
const ALIAS_ARN = 'arn:aws:kms:us-east-1:123456789012:alias/orders';
const encryptedBucket = (key: string, policies: unknown[]) => {
  const template = machineTemplate({ definition: distributedMap(), policies }) as {
    Resources: Record<string, unknown>;
  };
  template.Resources.InBucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: 'in-bucket',
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key } },
        ],
      },
    },
  };
  return template;
};

ruleTester(unverifiable).run('unverifiable (KMS keys by alias)', {
  valid: [{ name: 'alias/aws/s3 needs no grant', template: encryptedBucket('alias/aws/s3', [DMAP_POLICY]) }],
  invalid: [
    {
      name: 'an alias outside the template, even with a grant on the alias ARN',
      template: encryptedBucket('alias/orders', [DMAP_POLICY, allow(['kms:Decrypt', ALIAS_ARN])]),
      errors: [
        {
          messageId: 'machineUndecided',
          state: '$',
          message:
            /^Cannot decide the KMS key of bucket in-bucket \(alias\/orders\): .*IAM grants on the alias ARN do not apply to the key\.$/,
        },
      ],
    },
  ],
});

ruleTester(unverifiable).run('unverifiable (a definition out of reach)', {
  valid: [],
  invalid: [
    {
      name: 'a packaged template: the definition is in S3, which check does not read',
      template: {
        Resources: {
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionS3Location: { Bucket: 'artifacts', Key: 'machine.asl.json' },
              RoleArn: 'arn:aws:iam::123456789012:role/external',
            },
          },
        },
      },
      errors: [
        {
          messageId: 'machineUndecided',
          state: '$',
          message:
            'Cannot decide definition s3://artifacts/machine.asl.json: DefinitionS3Location points at s3://artifacts/machine.asl.json, and dmap-guard reads local definitions.',
        },
        { messageId: 'roleUnreadable', state: '$', message: /so none of the 0 needs can be checked/ },
      ],
    },
  ],
});

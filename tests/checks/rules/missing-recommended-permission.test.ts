import { missingRecommendedPermission } from '../../../lib/checks/rules/missing-recommended-permission';
import { EXECUTIONS_ARN, MACHINE_ARN, allow, machineTemplate, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, ITEMS, RECOMMENDED, REDRIVE_ARN, REQUIRED, distributedMap } from '../machines';

const CHILD_EXECUTIONS = 'arn:aws:states:us-east-1:123456789012:execution:Machine/*';

// Recommended: Describe/Stop/RedriveExecution for the Map Run, multipart upload cleanup and kms:Encrypt for
// ResultWriter. The AWS page asks for DescribeExecution on execution:<name>:*, yet public samples run without it:
// https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
// S3 asks only kms:GenerateDataKey and kms:Decrypt for (multipart) uploads to SSE-KMS buckets:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
// https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
const RESULTS = 'arn:aws:s3:::out-bucket/results/*';
const WRITER = distributedMap({
  ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out-bucket', Prefix: 'results' } },
});

ruleTester(missingRecommendedPermission).run('missing-recommended-permission', {
  valid: [
    { name: 'the policy grants every need', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    { name: 'an inline Map needs nothing', machine: { definition: INLINE_MAP, policies: [] } },
    {
      name: 'missing required needs are not this rule',
      machine: { definition: distributedMap(), policies: [allow(...RECOMMENDED)] },
    },
    {
      name: 'Describe/Stop on the child executions (execution:<name>/*) serve execution:<name>:*',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(
            ...REQUIRED,
            [['states:DescribeExecution', 'states:StopExecution'], CHILD_EXECUTIONS],
            ['states:RedriveExecution', REDRIVE_ARN],
          ),
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'no DescribeExecution, StopExecution nor RedriveExecution: warnings, never errors',
      machine: { definition: distributedMap(), policies: [allow(...REQUIRED)] },
      errors: [
        {
          messageId: 'notAllowed',
          state: '$.States.Map',
          action: 'states:DescribeExecution',
          resources: [EXECUTIONS_ARN],
        },
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:StopExecution', resources: [EXECUTIONS_ARN] },
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:RedriveExecution', resources: [REDRIVE_ARN] },
      ],
    },
    {
      name: 'RedriveExecution granted on the parent executions only',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(...REQUIRED, [
            ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
            EXECUTIONS_ARN,
          ]),
        ],
      },
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', action: 'states:RedriveExecution' }],
    },
    {
      name: 'a ResultWriter without multipart cleanup: one finding names both actions',
      machine: {
        definition: WRITER,
        policies: [allow(...REQUIRED, ...RECOMMENDED, [['s3:PutObject', 's3:GetObject'], RESULTS])],
      },
      errors: [
        {
          messageId: 'notAllowed',
          state: '$.States.Map',
          actions: ['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
          resources: [RESULTS],
          message:
            /^s3:ListMultipartUploadParts, s3:AbortMultipartUpload on arn:aws:s3:::out-bucket\/results\/\* is not allowed: /,
        },
      ],
    },
    {
      name: 'DescribeExecution granted on the state machine instead of its executions',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(
            [['states:StartExecution', 'states:DescribeExecution'], MACHINE_ARN],
            ['s3:GetObject', ITEMS],
            ...RECOMMENDED.slice(1),
          ),
        ],
      },
      errors: [
        {
          messageId: 'notAllowed',
          state: '$.States.Map',
          action: 'states:DescribeExecution',
          resources: [EXECUTIONS_ARN],
        },
      ],
    },
    {
      name: 'kms:Encrypt for ResultWriter on an SSE-KMS bucket is recommended; GenerateDataKey and Decrypt are required',
      template: {
        Resources: {
          ...(machineWithBucketKey() as { Resources: Record<string, unknown> }).Resources,
        },
      },
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: ['kms:Encrypt'] }],
    },
  ],
});

/** A ResultWriter into a bucket whose default encryption is the CMK KEY; the role grants all but kms:Encrypt. */
function machineWithBucketKey(): unknown {
  const template = machineTemplate({
    definition: WRITER,
    policies: [
      allow(
        ...REQUIRED,
        ...RECOMMENDED,
        [['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], RESULTS],
        [['kms:GenerateDataKey', 'kms:Decrypt'], { 'Fn::GetAtt': ['ResultsKey', 'Arn'] }],
      ),
    ],
  }) as { Resources: Record<string, unknown> };
  // The key is the template's, with the default key policy (the account root: IAM policies decide), so the role's
  // policy is what grants or lacks kms:Encrypt (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
  template.Resources.ResultsKey = {
    Type: 'AWS::KMS::Key',
    Properties: {
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    },
  };
  template.Resources.OutBucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: 'out-bucket',
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': ['ResultsKey', 'Arn'] },
            },
          },
        ],
      },
    },
  };
  return template;
}

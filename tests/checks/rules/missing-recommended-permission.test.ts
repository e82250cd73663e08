import { missingRecommendedPermission } from '../../../lib/checks/rules/missing-recommended-permission';
import { EXECUTIONS_ARN, allow, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, RECOMMENDED, REDRIVE_ARN, REQUIRED, distributedMap } from '../machines';

// Recommended: StopExecution and RedriveExecution for the Map Run, multipart upload cleanup for ResultWriter:
// https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
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
  ],
  invalid: [
    {
      name: 'no StopExecution nor RedriveExecution',
      machine: { definition: distributedMap(), policies: [allow(...REQUIRED)] },
      errors: [
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:StopExecution', resources: [EXECUTIONS_ARN] },
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:RedriveExecution', resources: [REDRIVE_ARN] },
      ],
    },
    {
      name: 'RedriveExecution granted on the parent executions only',
      machine: {
        definition: distributedMap(),
        policies: [allow(...REQUIRED, [['states:StopExecution', 'states:RedriveExecution'], EXECUTIONS_ARN])],
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
  ],
});

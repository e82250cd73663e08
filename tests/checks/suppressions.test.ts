// A suppression's action and resource patterns must cover every action and resource a finding names.
import { missingRecommendedPermission } from '../../lib/checks/rules/missing-recommended-permission';
import { allow, ruleTester } from '../helpers/rule-tester';
import { RECOMMENDED, REQUIRED, distributedMap } from './machines';

const RESULTS = 'arn:aws:s3:::out-bucket/results/*';
const MULTIPART = ['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload'];
const machine = (suppress: unknown[]) => ({
  definition: distributedMap({
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'out-bucket', Prefix: 'results' },
    },
  }),
  policies: [allow(...REQUIRED, ...RECOMMENDED, [['s3:PutObject', 's3:GetObject'], RESULTS])],
  suppress,
});
const rule = 'missing-recommended-permission';
const reason = 'Results are never written in parts';

ruleTester(missingRecommendedPermission).run('suppressions', {
  valid: [],
  invalid: [
    {
      name: 'a pattern covering both actions suppresses',
      machine: machine([{ rule, reason, action: 's3:*Multipart*' }]),
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: MULTIPART, suppressed: reason }],
    },
    {
      name: 'a pattern covering one of the two does not',
      machine: machine([{ rule, reason, action: 's3:AbortMultipartUpload' }]),
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: MULTIPART }],
    },
    {
      name: 'actions match without regard to case; resources with it',
      machine: machine([{ rule, reason, action: 'S3:*MULTIPART*', resource: 'arn:aws:s3:::out-bucket/*' }]),
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: MULTIPART, suppressed: reason }],
    },
    {
      name: 'a resource pattern for another bucket does not',
      machine: machine([{ rule, reason, resource: 'arn:aws:s3:::other-bucket/*' }]),
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: MULTIPART, resources: [RESULTS] }],
    },
    {
      name: 'a suppression of another rule does not',
      machine: machine([{ rule: 'missing-permission', reason }]),
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: MULTIPART }],
    },
  ],
});

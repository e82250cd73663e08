import { missingPermission } from '../../../lib/checks/rules/missing-permission';
import { MACHINE_ARN, allow, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, ITEMS, REQUIRED, distributedMap } from '../machines';

// Required Distributed Map permissions: https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
const RUNTIME_KEY = distributedMap({
  ItemReader: {
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'JSON' },
    Parameters: { Bucket: 'in-bucket', 'Key.$': '$.key' },
  },
});

ruleTester(missingPermission).run('missing-permission', {
  valid: [
    { name: 'the policy grants every need', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    {
      name: 'required needs only (recommended ones are not this rule)',
      machine: { definition: distributedMap(), policies: [allow(...REQUIRED)] },
    },
    {
      name: 'a run-time key the role grants on some object of the bucket',
      machine: {
        definition: RUNTIME_KEY,
        policies: [allow(...REQUIRED.slice(0, 1), ['s3:GetObject', 'arn:aws:s3:::in-bucket/*'])],
      },
    },
  ],
  invalid: [
    {
      name: 'no StartExecution on the state machine itself',
      machine: { definition: distributedMap(), policies: [allow(...REQUIRED.slice(1))] },
      errors: [
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:StartExecution', resources: [MACHINE_ARN] },
      ],
    },
    {
      name: 'an empty role misses every required need, in need order',
      machine: { definition: distributedMap(), policies: [] },
      errors: [
        { messageId: 'notAllowed', state: '$.States.Map', action: 'states:StartExecution' },
        { messageId: 'notAllowed', state: '$.States.Map', action: 's3:GetObject', resources: [ITEMS] },
      ],
    },
    {
      name: 'an explicit Deny names the statement',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(...REQUIRED),
          { Version: '2012-10-17', Statement: [{ Sid: 'NoRead', Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
        ],
      },
      errors: [
        {
          messageId: 'notAllowed',
          state: '$.States.Map',
          action: 's3:GetObject',
          message: /is not allowed: explicitly denied by statement NoRead of /,
        },
      ],
    },
    {
      name: 'GetObject granted on another key',
      machine: {
        definition: distributedMap(),
        policies: [allow(...REQUIRED.slice(0, 1), ['s3:GetObject', 'arn:aws:s3:::in-bucket/other.json'])],
      },
      errors: [{ messageId: 'notAllowed', state: '$.States.Map', actions: ['s3:GetObject'], resources: [ITEMS] }],
    },
    {
      name: 'a run-time key the role grants on no resource at all',
      machine: { definition: RUNTIME_KEY, policies: [allow(...REQUIRED.slice(0, 1))] },
      errors: [{ messageId: 'grantedNowhere', state: '$.States.Map', action: 's3:GetObject', message: /\$\.key/ }],
    },
  ],
});

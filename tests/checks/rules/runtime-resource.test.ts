import { runtimeResource } from '../../../lib/checks/rules/runtime-resource';
import { allow, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, RECOMMENDED, REQUIRED, distributedMap } from '../machines';

// "Scope the policy to what the path resolves to": https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
const reading = (parameters: Record<string, unknown>) =>
  distributedMap({
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: parameters,
    },
  });
const RUNTIME_KEY = reading({ Bucket: 'in-bucket', 'Key.$': '$.key' });
const RUNTIME_BUCKET = reading({ 'Bucket.$': '$.bucket', Key: 'items.json' });
const GRANTS_PREFIX = allow(...REQUIRED.slice(0, 1), ['s3:GetObject', 'arn:aws:s3:::in-bucket/data/*'], ...RECOMMENDED);
const GRANTS_BUCKET = allow(...REQUIRED.slice(0, 1), ['s3:GetObject', 'arn:aws:s3:::in-bucket/*'], ...RECOMMENDED);

ruleTester(runtimeResource).run('runtime-resource', {
  valid: [
    {
      name: 'a run-time key in a bucket the role grants whole: covered whatever the key is',
      machine: { definition: RUNTIME_KEY, policies: [GRANTS_BUCKET] },
    },
    {
      name: 'a run-time bucket the role grants on every bucket (over-broad-grant judges that)',
      machine: {
        definition: RUNTIME_BUCKET,
        policies: [allow(...REQUIRED.slice(0, 1), ['s3:GetObject', '*'], ...RECOMMENDED)],
      },
    },
    { name: 'a static key', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    {
      name: 'a run-time key the fully known role grants nowhere (missing-permission reports it)',
      machine: { definition: RUNTIME_KEY, policies: [allow(...REQUIRED.slice(0, 1), ...RECOMMENDED)] },
    },
  ],
  invalid: [
    {
      name: 'a run-time key the role grants on a prefix only',
      machine: { definition: RUNTIME_KEY, policies: [GRANTS_PREFIX] },
      errors: [
        {
          messageId: 'grantedOn',
          state: '$.States.Map',
          action: 's3:GetObject',
          message:
            's3:GetObject on arn:aws:s3:::in-bucket/* depends on $.key ($.States.Map (ItemReader.Parameters.Key.$)); ' +
            'the role grants it on arn:aws:s3:::in-bucket/data/* (inline policy P0 of role Role, statement #1), ' +
            'which covers the run only if the value resolves there.',
        },
      ],
    },
    {
      name: 'a run-time bucket',
      machine: { definition: RUNTIME_BUCKET, policies: [GRANTS_BUCKET] },
      errors: [
        { messageId: 'grantedOn', state: '$.States.Map', action: 's3:GetObject', message: /depends on \$\.bucket/ },
      ],
    },
    {
      name: 'a run-time key and a role dmap-guard cannot read',
      machine: { definition: RUNTIME_KEY, roleArn: 'arn:aws:iam::123456789012:role/external' },
      errors: [
        {
          messageId: 'grantedOnUnreadable',
          state: '$.States.Map',
          action: 's3:GetObject',
          message: /the role grants it on nothing dmap-guard can read/,
        },
      ],
    },
  ],
});

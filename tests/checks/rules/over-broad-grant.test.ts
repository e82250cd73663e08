import { overBroadGrant } from '../../../lib/checks/rules/over-broad-grant';
import { EXECUTIONS_ARN, MACHINE_ARN, STATES_TRUST, allow, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, ITEMS, RECOMMENDED, REQUIRED, distributedMap } from '../machines';

// Scope Distributed Map policies to the state machine, its executions and the objects read:
// https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
const POLICY = 'Role/P0';

ruleTester(overBroadGrant).run('over-broad-grant', {
  valid: [
    {
      name: 'Describe/Stop on the child executions (execution:<name>/*) beside execution:<name>:* is not over-broad',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(...REQUIRED, ...RECOMMENDED, [
            ['states:DescribeExecution', 'states:StopExecution'],
            'arn:aws:states:us-east-1:123456789012:execution:Machine/*',
          ]),
        ],
      },
    },
    { name: 'exactly the needed statements', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    { name: 'an inline Map with an empty role', machine: { definition: INLINE_MAP, policies: [] } },
    {
      name: 'a trust policy naming the regional Step Functions principal',
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
    },
  ],
  invalid: [
    {
      name: 'StartExecution on every state machine',
      machine: {
        definition: distributedMap(),
        policies: [allow(['states:StartExecution', '*'], ...REQUIRED.slice(1), ...RECOMMENDED)],
      },
      errors: [{ messageId: 'otherStateMachine', state: POLICY, action: 'states:StartExecution', resources: ['*'] }],
    },
    {
      name: 'StartExecution on a name prefix (stateMachine:Machine*) reaches machines named like it',
      machine: {
        definition: distributedMap(),
        policies: [allow(['states:StartExecution', `${MACHINE_ARN}*`], ...REQUIRED.slice(1), ...RECOMMENDED)],
      },
      errors: [
        {
          messageId: 'otherStateMachine',
          state: POLICY,
          action: 'states:StartExecution',
          message: new RegExp(`allows states:StartExecution on ${MACHINE_ARN}\\*, which reaches other state machines`),
        },
      ],
    },
    {
      name: "DescribeExecution on an execution name prefix (execution:Machine*) reaches other machines' executions",
      machine: {
        definition: distributedMap(),
        policies: [
          allow(
            ...REQUIRED,
            [
              ['states:DescribeExecution', 'states:StopExecution'],
              'arn:aws:states:us-east-1:123456789012:execution:Machine*',
            ],
            ...RECOMMENDED.slice(2),
          ),
        ],
      },
      errors: [
        { messageId: 'otherExecution', state: POLICY, action: 'states:DescribeExecution' },
        { messageId: 'otherExecution', state: POLICY, action: 'states:StopExecution' },
      ],
    },
    {
      name: 'GetObject on the whole bucket',
      machine: {
        definition: distributedMap(),
        policies: [allow(...REQUIRED.slice(0, 1), ['s3:GetObject', 'arn:aws:s3:::in-bucket/*'], ...RECOMMENDED)],
      },
      errors: [
        {
          messageId: 'wholeBucket',
          state: POLICY,
          action: 's3:GetObject',
          message: `Statement #1 of inline policy P0 of role Role allows s3:GetObject on arn:aws:s3:::in-bucket/*, the whole bucket, where ${ITEMS} suffices.`,
        },
      ],
    },
    {
      name: 'an action no state needs',
      machine: {
        definition: distributedMap(),
        policies: [allow(...REQUIRED, ...RECOMMENDED, ['states:DeleteStateMachine', MACHINE_ARN])],
      },
      errors: [
        {
          messageId: 'unneededActions',
          state: POLICY,
          actions: ['states:DeleteStateMachine'],
          resources: [MACHINE_ARN],
        },
      ],
    },
    {
      name: 'a wildcard action on the needed executions',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(...REQUIRED, ['states:*', EXECUTIONS_ARN], ['states:RedriveExecution', RECOMMENDED[2]?.[1] as string]),
        ],
      },
      errors: [
        {
          messageId: 'wildcardActionWithExample',
          state: POLICY,
          action: 'states:DeleteStateMachine',
          message: /Action states:\* grants states actions no state needs \(such as states:DeleteStateMachine\)/,
        },
      ],
    },
    {
      name: 'a trust policy that lets the account root assume the role',
      machine: {
        definition: distributedMap(),
        policies: [DMAP_POLICY],
        trust: {
          Version: '2012-10-17',
          Statement: [
            ...STATES_TRUST.Statement,
            {
              Sid: 'Humans',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
      errors: [
        {
          messageId: 'trustsOthers',
          state: 'Role/AssumeRolePolicyDocument',
          action: 'sts:AssumeRole',
          message: /^Statement Humans of .* lets AWS arn:aws:iam::123456789012:root assume the execution role/,
        },
      ],
    },
    {
      name: 'StartExecution on every state machine reaches the machine’s own ARN too, once',
      machine: {
        definition: distributedMap(),
        policies: [
          allow(
            [['states:StartExecution'], [MACHINE_ARN, 'arn:aws:states:us-east-1:123456789012:stateMachine:*']],
            ...REQUIRED.slice(1),
            ...RECOMMENDED,
          ),
        ],
      },
      errors: [{ messageId: 'otherStateMachine', state: POLICY, action: 'states:StartExecution' }],
    },
  ],
});

import { invalidPolicy } from '../../../lib/checks/rules/invalid-policy';
import { allow, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, REQUIRED, distributedMap } from '../machines';

// Policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
const POLICY = 'Role/P0';
const withStatement = (statement: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [...(allow(...REQUIRED) as { Statement: unknown[] }).Statement, statement],
});

ruleTester(invalidPolicy).run('invalid-policy', {
  valid: [
    { name: 'well-formed statements', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    { name: 'a role without policies', machine: { definition: INLINE_MAP, policies: [] } },
    {
      name: 'NotAction, NotResource and a condition',
      machine: {
        definition: INLINE_MAP,
        policies: [
          withStatement({
            Effect: 'Deny',
            NotAction: 's3:GetObject',
            NotResource: 'arn:aws:s3:::in-bucket/*',
            Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
          }),
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'an Effect that is neither Allow nor Deny',
      machine: {
        definition: distributedMap(),
        policies: [withStatement({ Effect: 'Permit', Action: 's3:*', Resource: '*' })],
      },
      errors: [{ messageId: 'malformed', state: '$.Statement[2].Effect', resources: [POLICY] }],
    },
    {
      name: 'a statement without Action',
      machine: { definition: distributedMap(), policies: [withStatement({ Effect: 'Allow', Resource: '*' })] },
      errors: [{ messageId: 'malformed', state: '$.Statement[2]', resources: [POLICY] }],
    },
    {
      name: 'Action and NotAction together',
      machine: {
        definition: distributedMap(),
        policies: [
          withStatement({ Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*' }),
        ],
      },
      errors: [{ messageId: 'malformed', state: '$.Statement[2]', resources: [POLICY] }],
    },
    {
      name: 'an unknown condition operator',
      machine: {
        definition: distributedMap(),
        policies: [
          withStatement({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { StringSortOf: { 's3:prefix': 'a' } },
          }),
        ],
      },
      errors: [{ messageId: 'malformed', state: '$.Statement[2].Condition.StringSortOf', resources: [POLICY] }],
    },
  ],
});

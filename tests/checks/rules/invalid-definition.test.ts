import { invalidDefinition } from '../../../lib/checks/rules/invalid-definition';
import { ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, distributedMap } from '../machines';

// Distributed mode only in STANDARD parents, and the Label field of a Distributed Map:
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
ruleTester(invalidDefinition).run('invalid-definition', {
  valid: [
    { name: 'a STANDARD Distributed Map', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    { name: 'an inline Map in an EXPRESS state machine', machine: { definition: INLINE_MAP, type: 'EXPRESS' } },
    {
      name: 'a Label of 40 letters and a ResultWriter with a Resource',
      machine: {
        definition: distributedMap({
          Label: 'A'.repeat(40),
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'r' } },
        }),
      },
    },
  ],
  invalid: [
    {
      name: 'a Distributed Map in an EXPRESS state machine',
      machine: { definition: distributedMap(), type: 'EXPRESS' },
      errors: [{ messageId: 'distributedMapInExpress', state: '$.States.Map', message: /EXPRESS state machine/ }],
    },
    {
      name: 'a Label with a colon',
      machine: { definition: distributedMap({ Label: 'part:1' }) },
      errors: [{ messageId: 'invalidLabel', state: '$.States.Map' }],
    },
    {
      name: 'a Label of 41 characters',
      machine: { definition: distributedMap({ Label: 'A'.repeat(41) }) },
      errors: [{ messageId: 'invalidLabel', state: '$.States.Map' }],
    },
    {
      name: 'an empty ResultWriter',
      machine: { definition: distributedMap({ ResultWriter: {} }) },
      errors: [{ messageId: 'invalidResultWriter', state: '$.States.Map' }],
    },
    {
      name: 'an ItemReader that is not an object',
      machine: { definition: distributedMap({ ItemReader: 'items.json' }) },
      errors: [{ messageId: 'invalidItemReader', state: '$.States.Map' }],
    },
    {
      name: 'every problem of an EXPRESS Distributed Map with a bad Label, in order',
      machine: { definition: distributedMap({ Label: 'a b' }), type: 'EXPRESS' },
      errors: [
        { messageId: 'distributedMapInExpress', state: '$.States.Map' },
        { messageId: 'invalidLabel', state: '$.States.Map' },
      ],
    },
    {
      name: 'a DefinitionString that is not JSON',
      template: {
        Resources: {
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: { DefinitionString: '{"StartAt": ', RoleArn: 'arn:aws:iam::123456789012:role/external' },
          },
        },
      },
      errors: [{ messageId: 'unreadable', state: '$', message: /^The definition cannot be read: / }],
    },
    {
      name: 'a state without a Type (YAML template)',
      template: [
        'Resources:',
        '  Machine:',
        '    Type: AWS::StepFunctions::StateMachine',
        '    Properties:',
        '      RoleArn: arn:aws:iam::123456789012:role/external',
        '      Definition:',
        '        StartAt: A',
        '        States:',
        '          A: { End: true }',
      ].join('\n'),
      errors: [{ messageId: 'unreadable', state: '$.States.A.Type' }],
    },
  ],
});

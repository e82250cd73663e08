import { unverifiablePolicy } from '../../../lib/checks/rules/unverifiable-policy';
import { allow, machineTemplate, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, ITEMS, REQUIRED, distributedMap } from '../machines';

// What cannot be read is reported as unproven, never as missing; a snapshot of
// https://docs.aws.amazon.com/cli/latest/reference/iam/get-account-authorization-details.html makes it readable.
const EXTERNAL = 'arn:aws:iam::123456789012:role/external';
const withManagedPolicy = (policies: unknown[]) => {
  const template = machineTemplate({ definition: distributedMap(), policies });
  const role = (template.Resources as Record<string, { Properties: Record<string, unknown> }>).Role;
  if (role) role.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess'];
  return template;
};

ruleTester(unverifiablePolicy).run('unverifiable-policy', {
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
      template: withManagedPolicy([allow(...REQUIRED.slice(0, 2))]),
      errors: [
        { messageId: 'policiesUnreadable', state: '$', actions: [], message: /AWSStepFunctionsFullAccess/ },
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
  ],
});

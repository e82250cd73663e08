// Templates checked together are joined through Outputs.Export / Fn::ImportValue, as stacks deployed together:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html
import { analyzeTemplate, analyzeTemplates } from '../../lib/cfn/machines';
import { parseDocumentText } from '../../lib/cfn/load';
import { checkStateMachines } from '../../lib/checks/analyze';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { buildReport } from '../../lib/report/report';
import { CASE_BUCKETS, STATES_TRUST } from '../helpers/rule-tester';
import { DMAP_POLICY, distributedMap } from '../checks/machines';

// in-bucket, which the machine reads, is known to have no bucket policy.
const options = { region: 'us-east-1', account: '123456789012', partition: 'aws', resourcePolicies: CASE_BUCKETS };
const roles = parseDocumentText(
  JSON.stringify({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'shared-dmap-role',
          AssumeRolePolicyDocument: STATES_TRUST,
          Policies: [{ PolicyName: 'dmap', PolicyDocument: DMAP_POLICY }],
        },
      },
    },
    Outputs: {
      RoleArn: {
        Value: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}-RoleArn' } },
      },
    },
  }),
  'roles.json',
);
const machine = parseDocumentText(
  JSON.stringify({
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'Machine',
          Definition: distributedMap(),
          RoleArn: { 'Fn::ImportValue': 'dmap-guard-RoleArn' },
        },
      },
    },
  }),
  'machine.json',
);

describe('Fn::ImportValue across templates checked together', () => {
  it('resolves to the export of the other template, and its role is that role', async () => {
    const machines = analyzeTemplates([
      { doc: roles, options },
      { doc: machine, options },
    ]);
    expect(machines.map((m) => [m.id, m.role?.arn])).toEqual([
      ['Machine', 'arn:aws:iam::123456789012:role/shared-dmap-role'],
    ]);
    const { findings, analyses } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
    expect(buildReport(analyses, findings, 'error').stateMachines.map((m) => m.verdict)).toEqual(['pass']);
  });

  it('alone, the import stays unresolved and the machine UNVERIFIED', async () => {
    const machines = analyzeTemplate(machine, options);
    expect(machines[0]?.role).toBeUndefined();
    const { findings, analyses } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
    expect(buildReport(analyses, findings, 'error').stateMachines.map((m) => m.verdict)).toEqual(['unverified']);
  });
});

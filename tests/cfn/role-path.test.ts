// A role's Path is part of its ARN, whether the role is to be created or exists (issue 14 point 3).
import { parseDocumentText } from '../../lib/cfn/load';
import { analyzeTemplate } from '../../lib/cfn/machines';
import { physicalValues } from '../../lib/cfn/resources';

const p = { partition: 'aws', region: 'us-east-1', account: '123456789012', stackName: 'orders' };
const template = JSON.stringify({
  Resources: {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Path: '/service-role/dmap/',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      },
    },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Definition: { StartAt: 'A', States: { A: { Type: 'Succeed' } } },
      },
    },
  },
});

describe('role Path in ARNs', () => {
  it('keeps the path for an existing role, whose physical id is its name only', () => {
    expect(physicalValues('AWS::IAM::Role', 'Role', 'orders-Role-ABC', p, '/service-role/').attributes.Arn).toBe(
      'arn:aws:iam::123456789012:role/service-role/orders-Role-ABC',
    );
    expect(physicalValues('AWS::IAM::Role', 'Role', 'orders-Role-ABC', p).attributes.Arn).toBe(
      'arn:aws:iam::123456789012:role/orders-Role-ABC',
    );
  });

  it("gives the machine its role's ARN with the path, before and after the role exists", () => {
    const doc = parseDocumentText(template, 'template.json');
    const [planned] = analyzeTemplate(doc, p);
    expect(planned?.role?.arn).toMatch(/^arn:aws:iam::123456789012:role\/service-role\/dmap\/orders-Role-/);
    const [existing] = analyzeTemplate(doc, { ...p, physicalIds: { Role: 'orders-Role-1A2B3C' } });
    expect(existing?.role?.arn).toBe('arn:aws:iam::123456789012:role/service-role/dmap/orders-Role-1A2B3C');
  });
});

// Generated templates with N state machines, each with its own role, policy and Distributed Map.
export function generatedTemplate(machines: number): string {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < machines; i++) {
    resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket' };
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'machine',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' },
                {
                  Effect: 'Allow',
                  Action: ['s3:ListBucket', 's3:GetObject'],
                  Resource: [{ 'Fn::GetAtt': [`Bucket${i}`, 'Arn'] }, { 'Fn::Sub': `\${Bucket${i}.Arn}/*` }],
                },
              ],
            },
          },
        ],
      },
    };
    resources[`Machine${i}`] = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] },
        DefinitionString: {
          'Fn::Sub': JSON.stringify({
            StartAt: 'Map',
            States: {
              Map: {
                Type: 'Map',
                ItemReader: {
                  Resource: 'arn:aws:states:::s3:listObjectsV2',
                  Parameters: { Bucket: `\${Bucket${i}}`, Prefix: 'in/' },
                },
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
                  StartAt: 'P',
                  States: { P: { Type: 'Pass', End: true } },
                },
                End: true,
              },
            },
          }),
        },
      },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 1);
}

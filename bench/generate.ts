// Generated templates with N state machines, each with its own bucket and Distributed Map, and its own role and
// policy, or (sharedRole) one role holding every machine's statements.
export function generatedTemplate(machines: number, options: { sharedRole?: boolean } = {}): string {
  const resources: Record<string, unknown> = {};
  const statements: unknown[] = [];
  for (let i = 0; i < machines; i++) {
    resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket' };
    const role = options.sharedRole ? 'Role0' : `Role${i}`;
    const own = [
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetObject'],
        Resource: [{ 'Fn::GetAtt': [`Bucket${i}`, 'Arn'] }, { 'Fn::Sub': `\${Bucket${i}.Arn}/*` }],
      },
    ];
    statements.push(...own);
    resources[role] = {
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
              Statement: own,
            },
          },
        ],
      },
    };
    resources[`Machine${i}`] = {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
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
  if (options.sharedRole && machines > 0) {
    const role = resources.Role0 as { Properties: { Policies: Array<{ PolicyDocument: { Statement: unknown[] } }> } };
    const policy = role.Properties.Policies[0] as { PolicyDocument: { Statement: unknown[] } };
    policy.PolicyDocument.Statement = statements;
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 1);
}

/** One Distributed Map whose child workflow runs `tasks` Lambda tasks in a chain, each on its own function. */
export function lambdaTasksDefinition(tasks: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < tasks; i++)
    states[`Task${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:fn-${i}` },
      ...(i + 1 < tasks ? { Next: `Task${i + 1}` } : { End: true }),
    };
  return {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Task0',
          States: states,
        },
        End: true,
      },
    },
  };
}

/** A stack template with one machine of `tasks` Lambda tasks and a role that allows them (and more). */
export function lambdaTasksTemplate(tasks: number): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'tasks',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: ['lambda:InvokeFunction', 'states:*'], Resource: '*' }],
              },
            },
          ],
        },
      },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
          DefinitionString: JSON.stringify(lambdaTasksDefinition(tasks)),
        },
      },
    },
  });
}

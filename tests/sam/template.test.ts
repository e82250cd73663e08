// The SAM application (template.yaml): the settings this project promises, checked on the template itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDocumentFile } from '../../lib/cfn/load';

const ROOT = join(__dirname, '..', '..');
const template = readDocumentFile(join(ROOT, 'template.yaml')).value as Record<string, any>;
const resources = template.Resources as Record<string, any>;
const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function');

describe('template.yaml', () => {
  it('runs every function on nodejs22.x or newer, arm64, bundled by esbuild with MainFields module,main and source maps', () => {
    expect(template.Globals.Function.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(template.Globals.Function.Architectures).toEqual(['arm64']);
    expect(template.Globals.Function.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(functions.map(([id]) => id).sort()).toEqual(['CustomResourceFunction', 'HookFunction', 'ValidateFunction']);
    for (const [, fn] of functions) {
      expect(fn.Metadata.BuildMethod).toBe('esbuild');
      expect(fn.Metadata.BuildProperties).toMatchObject({ MainFields: 'module,main', Sourcemap: true });
      for (const entry of fn.Metadata.BuildProperties.EntryPoints) expect(existsSync(join(ROOT, entry))).toBe(true);
    }
  });

  it('gives the hook function less than 30 seconds', () => {
    expect(resources.HookFunction.Properties.Timeout).toBeLessThan(30);
  });

  it('lets the hooks service do nothing but invoke the hook function', () => {
    const role = resources.HookExecutionRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    ]);
    expect(role.Policies).toHaveLength(1);
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': ['HookFunction', 'Arn'] } },
    ]);
  });

  it("gives the functions read actions only, none on '*'", () => {
    const statements = resources.ReadPermissionsPolicy.Properties.PolicyDocument.Statement.flatMap((s: any) =>
      s['Fn::If'] ? [s['Fn::If'][1]] : [s],
    );
    for (const statement of statements) {
      const actions: string[] = [statement.Action].flat();
      for (const action of actions) expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe|Simulate)[A-Za-z]+$/);
      expect([statement.Resource].flat()).not.toContain('*');
    }
    for (const [, fn] of functions) expect(fn.Properties.Policies).toEqual([{ Ref: 'ReadPermissionsPolicy' }]);
  });

  it('registers the Lambda Hook in WARN mode by default, on state machines and IAM resources, excluding its own stack', () => {
    expect(template.Parameters.FailureMode).toMatchObject({ Default: 'WARN', AllowedValues: ['WARN', 'FAIL'] });
    const hook = resources.DistributedMapHook;
    expect(hook.Type).toBe('AWS::CloudFormation::LambdaHook');
    expect(hook.Properties).toMatchObject({
      FailureMode: { Ref: 'FailureMode' },
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE'],
    });
    expect(hook.Properties.TargetFilters).toEqual({
      Actions: ['CREATE', 'UPDATE'],
      InvocationPoints: ['PRE_PROVISION'],
      TargetNames: [
        'AWS::StepFunctions::StateMachine',
        'AWS::IAM::Role',
        'AWS::IAM::Policy',
        'AWS::IAM::RolePolicy',
        'AWS::IAM::ManagedPolicy',
      ],
    });
    expect(hook.Properties.StackFilters.StackNames.Exclude).toEqual([{ Ref: 'AWS::StackName' }]);
    expect(resources.StackHook).toMatchObject({
      Condition: 'IncludeStack',
      Properties: { TargetOperations: ['STACK'] },
    });
  });

  it('alarms on WARN-mode non-compliant resources, with an optional e-mail or topic', () => {
    const alarm = resources.WarnModeFindingsAlarm.Properties;
    expect(alarm).toMatchObject({ Namespace: 'DmapGuard', MetricName: 'NonCompliantResources' });
    expect(alarm.Dimensions).toContainEqual({ Name: 'FailureMode', Value: 'WARN' });
    expect(Object.keys(template.Parameters)).toEqual(expect.arrayContaining(['AlarmEmail', 'AlarmTopicArn']));
  });

  it('outputs the hook and function ARNs', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['HookArn', 'HookFunctionArn', 'CustomResourceServiceToken', 'ValidateFunctionArn']),
    );
  });
});

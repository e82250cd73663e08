// The SAM application (template.yaml, samconfig.toml): the settings this project promises, checked on the files
// themselves. Tests named "issue 14 point N" encode one point of that issue each; AWS behaviour they rely on is cited.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocumentFile } from '../../lib/cfn/load';

const ROOT = join(__dirname, '..', '..');
const template = readDocumentFile(join(ROOT, 'template.yaml')).value as Record<string, any>;
const resources = template.Resources as Record<string, any>;
const parameters = template.Parameters as Record<string, any>;
const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The statements of the functions' managed policy, each `Fn::If` branch taken (with the condition it needs). */
const readStatements: Array<{ statement: any; condition?: string }> =
  resources.ReadPermissionsPolicy.Properties.PolicyDocument.Statement.map((s: any) =>
    s['Fn::If'] ? { statement: s['Fn::If'][1], condition: s['Fn::If'][0] } : { statement: s },
  );
const statementBySid = (sid: string) => readStatements.find((s) => s.statement.Sid === sid);

function cfnLintAvailable(): boolean {
  try {
    execFileSync('cfn-lint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** samconfig.toml as { env: { command: { key: value } } }; the file uses only tables, strings, booleans and numbers. */
function readSamConfig(): Record<string, any> {
  const config: Record<string, any> = {};
  let table: Record<string, unknown> | undefined;
  for (const raw of readFileSync(join(ROOT, 'samconfig.toml'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([\w-]+)\.([\w-]+)\.parameters\]$/.exec(line);
    if (header) {
      const [, env, command] = header as unknown as [string, string, string];
      table = (config[env] ??= {})[command] ??= {};
      continue;
    }
    const entry = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!entry) throw new Error(`samconfig.toml: cannot read ${line}`);
    if (!table) continue; // version = 0.1
    const [, key, value] = entry as unknown as [string, string, string];
    table[key] = value.startsWith('"')
      ? JSON.parse(value)
      : value === 'true'
        ? true
        : value === 'false'
          ? false
          : Number(value);
  }
  return config;
}

describe('template.yaml', () => {
  it('runs every function on arm64, bundled by esbuild with MainFields module,main and no source maps', () => {
    expect(template.Globals.Function.Architectures).toEqual(['arm64']);
    // Source maps cost every cold start import time and memory (bench "hook cold-start import").
    expect(template.Globals.Function.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    expect(functions.map(([id]) => id).sort()).toEqual(['CustomResourceFunction', 'HookFunction', 'ValidateFunction']);
    for (const [, fn] of functions) {
      expect(fn.Metadata.BuildMethod).toBe('esbuild');
      expect(fn.Metadata.BuildProperties).toMatchObject({ MainFields: 'module,main', Sourcemap: false });
      for (const entry of fn.Metadata.BuildProperties.EntryPoints) expect(existsSync(join(ROOT, entry))).toBe(true);
    }
  });

  it('gives the hook function less than 30 seconds', () => {
    // "30 s per invocation": https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/hooks-concepts.html
    expect(resources.HookFunction.Properties.Timeout).toBeLessThan(30);
  });

  it("gives the functions read actions only, none on '*', and kms:Decrypt only through a named service", () => {
    for (const { statement } of readStatements) {
      const actions: string[] = [statement.Action].flat();
      for (const action of actions) {
        if (action === 'kms:Decrypt') expect(Object.keys(statement.Condition.StringEquals)).toEqual(['kms:ViaService']);
        else expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe|Simulate)[A-Za-z]+$/);
      }
      expect([statement.Resource].flat()).not.toContain('*');
    }
    for (const [, fn] of functions) expect(fn.Properties.Policies).toEqual([{ Ref: 'ReadPermissionsPolicy' }]);
  });

  it('lets the functions read key policies, grants and bucket policies (resource policies decide too)', () => {
    // SimulatePrincipalPolicy: "Simulation of resource-based policies isn't supported for IAM roles"
    // (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html).
    expect(statementBySid('ReadKeyPolicies')?.statement).toMatchObject({
      Action: ['kms:GetKeyPolicy', 'kms:ListGrants'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:*:key/*' },
    });
    expect(statementBySid('ReadBucketPolicies')?.statement).toMatchObject({
      Action: 's3:GetBucketPolicy',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' },
    });
  });

  it('lets the functions read bucket Regions (listing and ResultWriter buckets must be in the machine Region)', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html,
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
    expect(statementBySid('ReadBucketRegions')?.statement).toMatchObject({
      Action: 's3:GetBucketLocation',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*' },
    });
  });

  it('registers the Lambda Hook in WARN mode by default, on state machines and IAM resources, excluding its own stack', () => {
    expect(parameters.FailureMode).toMatchObject({ Default: 'WARN', AllowedValues: ['WARN', 'FAIL'] });
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

  it('outputs the hook and function ARNs', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['HookArn', 'HookFunctionArn', 'CustomResourceServiceToken', 'ValidateFunctionArn']),
    );
  });

  it('issue 14 point 1: reads definitions from the SAM CLI and CDK buckets by default (any version), and SSE-KMS objects through S3', () => {
    // sam deploy/package upload DefinitionUri to the managed bucket aws-sam-cli-managed-default-samclisourcebucket-*;
    // CDK's bootstrap assets bucket is cdk-<qualifier>-assets-<account>-<region>.
    // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html
    // https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
    expect(parameters.ToolkitDefinitionBuckets).toMatchObject({
      Default: 'sam-and-cdk',
      AllowedValues: ['sam-and-cdk', 'sam', 'cdk', 'none'],
    });
    const sam = statementBySid('ReadSamCliDefinitions')!;
    const cdk = statementBySid('ReadCdkAssetDefinitions')!;
    expect(sam.condition).toBe('ReadsSamCliBucket');
    expect(cdk.condition).toBe('ReadsCdkAssetsBucket');
    // GetObjectVersion: a DefinitionS3Location with a Version is read with versionId.
    for (const { statement } of [sam, cdk]) {
      expect(statement.Action).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } });
    }
    expect(sam.statement.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*',
    });
    expect(cdk.statement.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-*-assets-${AWS::AccountId}-${AWS::Region}/*',
    });
    // The default-on conditions really are on for the default value.
    const onFor = (condition: string) => JSON.stringify(template.Conditions[condition]).includes('"sam-and-cdk"');
    expect(onFor('ReadsSamCliBucket') && onFor('ReadsCdkAssetsBucket')).toBe(true);
    // Further buckets: the parameter, with versions too.
    expect(parameters.DefinitionBucketArns).toMatchObject({ Type: 'CommaDelimitedList', Default: '' });
    expect(statementBySid('ReadDefinitions')!.statement.Action).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    // GetObject on an SSE-KMS object needs kms:Decrypt: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
    const kms = statementBySid('DecryptDefinitionObjectsThroughS3')!;
    expect(kms.condition).toBeUndefined();
    expect(kms.statement).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' } } },
    });
    expect(readme).toMatch(/ToolkitDefinitionBuckets/);
  });

  it('issue 14 point 6: lets every function that calls DescribeStateMachine decrypt CMK-encrypted machines, through Step Functions only', () => {
    // "If your state machine definition is encrypted with a KMS key, callers must have kms:Decrypt permission":
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html
    const kms = statementBySid('DecryptStateMachineDefinitionsThroughStepFunctions')!;
    expect(kms.condition).toBeUndefined();
    expect(kms.statement).toEqual({
      Sid: 'DecryptStateMachineDefinitionsThroughStepFunctions',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:*:key/*' },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'states.${AWS::Region}.amazonaws.com' } } },
    });
    expect(statementBySid('DescribeStateMachines')!.statement.Action).toBe('states:DescribeStateMachine');
    // Hook, custom resource and validate all carry the policy (and with it the grant).
    for (const id of ['HookFunction', 'CustomResourceFunction', 'ValidateFunction'])
      expect(resources[id].Properties.Policies).toEqual([{ Ref: 'ReadPermissionsPolicy' }]);
  });

  it('issue 14 point 7: alarms reach an SNS topic CloudWatch can publish to, on the five signals, with the metric names the hook emits', () => {
    // CloudWatch cannot use the AWS managed key alias/aws/sns; a customer managed key must allow
    // cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*:
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    expect(resources.AlarmTopic.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlarmTopicKey' });
    const key = resources.AlarmTopicKey;
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', Condition: 'HasAlarmEmail' });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
          Action: 'kms:*',
        }),
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      ]),
    );

    const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    const byMetric: Record<string, string> = Object.fromEntries(
      alarms.map(([id, r]) => [`${r.Properties.Namespace}/${r.Properties.MetricName}`, id]),
    );
    expect(Object.keys(byMetric).sort()).toEqual([
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      'DmapGuard/InternalFailures',
      'DmapGuard/NonCompliantResources',
      'DmapGuard/UnverifiedResources',
    ]);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties).toMatchObject({ Statistic: 'Sum', Threshold: 1, TreatMissingData: 'notBreaching' });
      expect(alarm.Properties.AlarmActions).toEqual([
        { 'Fn::If': ['HasAlarmEmail', { Ref: 'AlarmTopic' }, { Ref: 'AWS::NoValue' }] },
        { 'Fn::If': ['HasAlarmTopic', { Ref: 'AlarmTopicArn' }, { Ref: 'AWS::NoValue' }] },
      ]);
      if (alarm.Properties.Namespace === 'AWS/Lambda')
        expect(alarm.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: 'HookFunction' } }]);
      // The README's alarm table names every alarm.
      expect(readme).toContain(`\`${id}\``);
    }

    // The hook's own metrics: namespace and dimensions as functions/ emit them (Powertools adds service=<serviceName>;
    // the handler adds FailureMode from FAILURE_MODE, which the template sets to the FailureMode parameter).
    const powertools = readFileSync(join(ROOT, 'functions/shared/powertools.ts'), 'utf8');
    const hookHandler = readFileSync(join(ROOT, 'functions/hook/handler.ts'), 'utf8');
    expect(powertools).toMatch(/new Metrics\(\{ namespace: 'DmapGuard', serviceName: 'dmap-guard' \}\)/);
    expect(hookHandler).toMatch(/metrics\.addDimension\('FailureMode', /);
    for (const metric of ['NonCompliantResources', 'InternalFailures']) expect(hookHandler).toContain(`'${metric}'`);
    expect(template.Globals.Function.Environment.Variables.FAILURE_MODE).toEqual({ Ref: 'FailureMode' });
    for (const metric of ['NonCompliantResources', 'UnverifiedResources', 'InternalFailures']) {
      const alarm = resources[byMetric[`DmapGuard/${metric}`]!].Properties;
      expect(alarm.Dimensions).toEqual([
        { Name: 'service', Value: 'dmap-guard' },
        { Name: 'FailureMode', Value: { Ref: 'FailureMode' } },
      ]);
    }
  });

  it('issue 14 point 8: the hook alias patterns are the LambdaHook Alias pattern, which refuses an AWS prefix', () => {
    // Alias pattern ^(?!(?i)aws)[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$ :
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-lambdahook.html
    const spec = '^(?!(?i)aws)[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$';
    // JavaScript has no inline (?i) flag group; this is the same language.
    const accepts = (alias: string) =>
      !/^aws/i.test(alias) && /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/.test(alias);
    for (const id of ['HookAlias', 'StackHookAlias']) {
      expect(parameters[id].AllowedPattern).toBe(spec);
      expect(accepts(parameters[id].Default)).toBe(true);
    }
    expect(accepts('Private::DmapGuard::Stacks')).toBe(true);
    for (const refused of [
      'AWS::DmapGuard::Hook',
      'aws::X1::Y1',
      'AwsCorp::Dmap::Guard',
      'Private::Dmap',
      'P::Dmap::Guard',
    ])
      expect(accepts(refused)).toBe(false);
  });

  it('issue 14 point 8: every samconfig.toml environment the README names deploys on its own (SAM environments do not inherit [default])', () => {
    // A --config-env reads only its own tables (plus its own "global"); nothing comes from [default]:
    // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html
    const config = readSamConfig();
    const named = new Set(['default', ...[...readme.matchAll(/--config-env[ =](\w[\w-]*)/g)].map((m) => m[1]!)]);
    expect(named).toContain('enforce');
    for (const env of named) {
      const tables = config[env];
      expect(tables).toBeDefined();
      const deploy = { ...tables.global, ...tables.deploy };
      expect(deploy).toMatchObject({ stack_name: 'dmap-guard', capabilities: 'CAPABILITY_IAM', resolve_s3: true });
      for (const table of Object.values(tables) as object[]) expect(Object.keys(table)).not.toContain('region');
      expect(tables.build).toEqual(config.default.build);
      // parameter_overrides name real parameters, with allowed values.
      for (const pair of String(deploy.parameter_overrides).split(' ')) {
        const [name, value] = pair.split('=') as [string, string];
        expect(Object.keys(parameters)).toContain(name);
        if (parameters[name].AllowedValues) expect(parameters[name].AllowedValues).toContain(value);
      }
    }
    expect(config.enforce.deploy.parameter_overrides).toMatch(/FailureMode=FAIL/);
    expect(config.default.deploy.parameter_overrides).toMatch(/FailureMode=WARN/);
  });

  it("issue 14 point 9: trusts the hooks service exactly as the Lambda Hook documentation's trust policy does, and allows nothing but invoking the hook", () => {
    // The documented trust policy has no condition; no page says hooks.cloudformation.amazonaws.com sends
    // aws:SourceAccount/aws:SourceArn, so none is added (a key the service does not send would deny every invocation).
    // https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-prepare-to-create-hook.html
    const role = resources.HookExecutionRole.Properties;
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['hooks.cloudformation.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(role.Policies).toHaveLength(1);
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': ['HookFunction', 'Arn'] } },
    ]);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it('issue 14 point 10: documents the StackSet path and why there is no central cross-account hook function', () => {
    // "StackSets doesn't currently support creating or updating stack sets with service-managed permissions from
    // templates that reference macros" (AWS::Serverless is one):
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-macros-overview.html
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['package:stackset']).toBe('node scripts/package-stackset.mjs');
    expect(readme).toContain('npm run package:stackset');
    expect(readme).toMatch(/aws s3 sync dist\/stackset\/artifacts/);
    expect(readme).toMatch(/create-stack-set[\s\S]*--permission-model SERVICE_MANAGED/);
    expect(readme).toMatch(/cross-account/i);
    // The produced template itself is tested in tests/unit/stackset-template.test.ts.
  });

  it('issue 14 point 11: nodejs24.x, reserved hook concurrency, log group before the hook, a re-checking custom resource example', () => {
    expect(template.Globals.Function.Runtime).toBe('nodejs24.x');
    expect(parameters.HookReservedConcurrency).toMatchObject({ Type: 'Number', MinValue: 0 });
    expect(parameters.HookReservedConcurrency.Default).toBeGreaterThan(0);
    expect(resources.HookFunction.Properties.ReservedConcurrentExecutions).toEqual({
      'Fn::If': ['ReservesConcurrency', { Ref: 'HookReservedConcurrency' }, { Ref: 'AWS::NoValue' }],
    });
    for (const id of ['DistributedMapHook', 'StackHook'])
      expect([resources[id].DependsOn].flat()).toContain('HookFunctionLogGroup');
    expect(resources.HookFunctionLogGroup.Properties.LogGroupName).toEqual({
      'Fn::Sub': '/aws/lambda/${HookFunction}',
    });

    // The custom resource example: ServiceTimeout (seconds, a string, above the provider's Timeout) and properties that
    // change with the definition and the role's policy, so CloudFormation sends Update and the check runs again.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
    const example = /```yaml\n(PermissionCheck:\n  Type: Custom::DistributedMapPermissionCheck[\s\S]*?)```/.exec(
      readme,
    )?.[1];
    expect(example).toBeDefined();
    const timeout = /ServiceTimeout: '(\d+)'/.exec(example!)?.[1];
    expect(Number(timeout)).toBeGreaterThan(resources.CustomResourceFunction.Properties.Timeout);
    expect(example).toMatch(/!GetAtt MyStateMachine\.StateMachineRevisionId/);
    expect(example).toMatch(/!GetAtt MyStateMachinePolicy\.DefaultVersionId/);
  });

  it('issue 14 point 11: cfn-lint accepts nodejs24.x for every function', () => {
    if (!cfnLintAvailable()) return;
    // cfn-lint exits 0 with no finding; E2531/E2533 would name a deprecated or unknown runtime.
    expect(() => execFileSync('cfn-lint', ['template.yaml'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });

  it('issue 14 point 12: says AWS::CloudFormation::LambdaHook is not available in GovCloud and China, as the Region schemas agree', () => {
    // https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-cfn.html ("Lambda Hooks ... not yet available")
    expect(readme).toMatch(/GovCloud[\s\S]{0,200}China|China[\s\S]{0,200}GovCloud/);
    expect(readme).toMatch(/AWS::CloudFormation::LambdaHook` is not available/);
    if (!cfnLintAvailable()) return;
    // cfn-lint's per-Region resource schemas (from each Region's CloudFormation registry) lack the type there.
    let output = '';
    try {
      execFileSync('cfn-lint', ['--regions', 'us-gov-west-1', 'cn-north-1', '--', 'template.yaml'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? '');
    }
    expect(output).toContain("Resource type 'AWS::CloudFormation::LambdaHook' does not exist in 'us-gov-west-1'");
    expect(output).toContain("Resource type 'AWS::CloudFormation::LambdaHook' does not exist in 'cn-north-1'");
  });
});

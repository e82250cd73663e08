// s3:GetBucketLocation: the Region of a Distributed Map's listing or ResultWriter bucket, which must be the state
// machine's (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html,
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
import { GetBucketLocationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Unreadable } from '../model/resource-policies';
import { errorName, unreadablePolicy } from './read-errors';

/**
 * The bucket's Region. An empty LocationConstraint is us-east-1 and `EU` is eu-west-1, as the API documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html). A bucket that does not exist yet is
 * undefined: the stack being checked creates it, in its own Region. Refusals and throttling are unreadable.
 */
export async function readBucketRegion(
  s3: S3Client,
  bucket: string,
  options: { abortSignal?: AbortSignal },
): Promise<string | Unreadable | undefined> {
  try {
    const response = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }), options);
    const constraint = response.LocationConstraint as string | undefined | null;
    if (constraint === undefined || constraint === null || constraint === '') return 'us-east-1';
    return constraint === 'EU' ? 'eu-west-1' : constraint;
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') return undefined;
    if (errorName(error) === 'AbortError') throw error;
    return unreadablePolicy('s3:GetBucketLocation', error);
  }
}

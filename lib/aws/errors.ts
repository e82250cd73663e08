// SDK failures that are the caller's setup, not a bug: no credentials, no Region, an endpoint that cannot be
// reached, a request AWS rejects as invalid. The CLI prints them as one line and exits 2.
import { messageOf, nameOf } from '../model/errors';

export class AwsUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsUsageError';
  }
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH']);
const INVALID_REQUEST = new Set(['ValidationException', 'InvalidArn', 'StateMachineDoesNotExist', 'NoSuchEntity']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The setup problem behind an SDK error, as an AwsUsageError; undefined for anything else. */
export function awsUsageError(error: unknown, endpoint?: string): AwsUsageError | undefined {
  const name = nameOf(error);
  const message = messageOf(error).split('\n')[0] ?? '';
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(message))
    return new AwsUsageError(
      `no valid AWS credentials (${message}); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login`,
    );
  if (/region is missing/i.test(message))
    return new AwsUsageError('no AWS Region: pass --region or set AWS_REGION (or a region in the AWS profile)');
  const code = codeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code))
    return new AwsUsageError(
      `cannot reach ${endpoint ?? 'the AWS endpoint'} (${code}): check --endpoint-url and the network`,
    );
  if (INVALID_REQUEST.has(name)) return new AwsUsageError(`AWS rejected the request (${name}): ${message}`);
  if (ACCESS_DENIED.has(name))
    return new AwsUsageError(`access denied (${name}): ${message} (the IAM dmap-guard needs is listed in the README)`);
  return undefined;
}

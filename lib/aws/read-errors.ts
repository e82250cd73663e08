// How a read the account refused becomes unverifiable for what it touches, never a failure of the whole check.
import { messageOf } from '../model/errors';
import type { Unreadable } from '../model/resource-policies';
import { UnreadableError } from '../ports/backend';

export function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

/** An error the service answered (after the SDK's retries), as opposed to a bug or an abort. */
function isServiceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error && errorName(error) !== 'AbortError';
}

const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'SlowDown',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KmsThrottlingException',
]);

/** A service's refusal as UnreadableError naming what could not be read and what to do; anything else rethrown. */
export function unreadable(error: unknown, subject: string, action: string, remedy: string): never {
  if (!isServiceError(error)) throw error;
  const name = errorName(error);
  const reason = THROTTLED.has(name)
    ? `${action} was throttled after retries (${name}: ${messageOf(error)})`
    : `${action} failed (${name}: ${messageOf(error)})`;
  throw new UnreadableError(
    subject,
    reason,
    THROTTLED.has(name) ? `retry the deployment; if it persists, ${remedy}` : remedy,
  );
}

/** A failed resource-policy read (AccessDenied, throttling after retries, no such key): unverifiable, not fatal. */
export function unreadablePolicy(call: string, error: unknown): Unreadable {
  return { unreadable: `${call} failed (${errorName(error) || 'error'}: ${messageOf(error)})` };
}

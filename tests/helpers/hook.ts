// The Lambda Hook response contract, asserted the same way everywhere.
import type { HookResponse } from '../../lib/lambda/hook/contract';

export function expectContract(response: HookResponse, token: string): void {
  expect(['SUCCESS', 'FAILED', 'IN_PROGRESS']).toContain(response.hookStatus);
  expect(response.clientRequestToken).toBe(token);
  expect(typeof response.message).toBe('string');
  expect(response.message.length).toBeLessThanOrEqual(4096);
  if (response.hookStatus === 'FAILED') expect(['NonCompliant', 'InternalFailure']).toContain(response.errorCode);
  else expect(response.errorCode).toBeUndefined();
  for (const annotation of response.annotations ?? []) {
    expect(['PASSED', 'FAILED', 'SKIPPED']).toContain(annotation.status);
    expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(annotation.severityLevel);
  }
}

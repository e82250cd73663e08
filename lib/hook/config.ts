// Hook settings from the function's environment (passed in; lib never reads process.env itself).
import type { FailOn } from '../report/report';
import type { HookConfig } from './handle';

/** CloudFormation waits 30 s for a hook; answer well before that. */
export const HOOK_BUDGET_MS = 25_000;

export function hookConfig(env: Record<string, string | undefined>, remainingMs = HOOK_BUDGET_MS + 2_000): HookConfig {
  const failOn = (['error', 'warning', 'never'].includes(env.FAIL_ON ?? '') ? env.FAIL_ON : 'error') as FailOn;
  const onError = env.ON_ERROR === 'pass' ? 'pass' : 'fail';
  return { failOn, onError, budgetMs: Math.max(1_000, Math.min(HOOK_BUDGET_MS, remainingMs - 2_000)) };
}

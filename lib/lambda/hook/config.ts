// Hook settings from the function's environment (passed in; lib never reads process.env itself).
import { failOnOf, type FailOn } from '../../report/report';

export interface HookConfig {
  failOn: FailOn;
  onError: 'fail' | 'pass';
  /** Milliseconds this invocation may work before answering IN_PROGRESS (CloudFormation waits 30 s). */
  budgetMs: number;
}

/** CloudFormation waits 30 s for a hook; answer well before that. */
export const HOOK_BUDGET_MS = 25_000;

export function hookConfig(env: Record<string, string | undefined>, remainingMs = HOOK_BUDGET_MS + 2_000): HookConfig {
  const failOn = failOnOf(env.FAIL_ON);
  const onError = env.ON_ERROR === 'pass' ? 'pass' : 'fail';
  return { failOn, onError, budgetMs: Math.max(1_000, Math.min(HOOK_BUDGET_MS, remainingMs - 2_000)) };
}

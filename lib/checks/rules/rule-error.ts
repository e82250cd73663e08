import { defineRule } from '../types';

/** Emitted by the runner when another rule throws; it never fires on its own. */
export const ruleError = defineRule({
  id: 'rule-error',
  severity: 'error',
  summary: 'A rule failed on this state machine.',
  why: 'A crashing rule must not hide the findings of the others nor pass silently.',
  docs: 'https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html',
  fix: 'Report the message as a dmap-guard bug; the other rules still ran.',
  tags: ['internal'],
  messages: { ruleFailed: 'rule {{rule}} failed on this state machine: {{error}}' },
  check: () => [],
});

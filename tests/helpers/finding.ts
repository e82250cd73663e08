// A finding as data for report tests: every field filled, the ones under test given.
import type { Finding } from '../../lib/checks/types';

export function findingOf(extra: Partial<Finding>): Finding {
  return {
    rule: 'over-broad-grant',
    severity: 'warning',
    messageId: 'm',
    template: 't.yaml',
    stateMachine: 'Machine',
    state: '$',
    action: '',
    actions: [],
    resource: '',
    resources: [],
    message: 'message',
    fix: 'fix',
    ...extra,
  };
}

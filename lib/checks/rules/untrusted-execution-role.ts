import { trustOf } from '../trust';
import { defineRule } from '../types';

export const untrustedExecutionRole = defineRule({
  id: 'untrusted-execution-role',
  severity: 'error',
  summary: 'Step Functions cannot assume the execution role.',
  why: 'Step Functions runs the state machine, its tasks and every Map Run child with the execution role, which it assumes with sts:AssumeRole as the service principal states.amazonaws.com. A trust policy that does not allow that (or denies it) makes CreateStateMachine fail or every execution fail.',
  docs: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html',
  fix: 'Let Step Functions assume the role:\n- Effect: Allow\n  Principal:\n    Service: states.amazonaws.com\n  Action: sts:AssumeRole',
  tags: ['iam', 'trust', 'required'],
  messages: { notAssumable: 'Step Functions cannot assume role {{role}}: {{reason}}.' },
  check(analysis) {
    const { role, machine } = analysis;
    const trust = role ? trustOf(role, machine) : undefined;
    if (!role || trust?.status !== 'untrusted') return [];
    return [
      {
        messageId: 'notAssumable' as const,
        data: { role: role.arn, reason: trust.reason },
        state: role.trust?.id ?? 'trust',
        actions: ['sts:AssumeRole'],
        resources: [role.arn],
        ...(role.trust?.origin ? { origin: role.trust.origin } : {}),
      },
    ];
  },
});

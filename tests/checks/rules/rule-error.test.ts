import { missingPermission } from '../../../lib/checks/rules/missing-permission';
import { ruleError } from '../../../lib/checks/rules/rule-error';
import { defineRule, type Rule } from '../../../lib/checks/types';
import { allow, findingsOf, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, REQUIRED, distributedMap } from '../machines';

const meta = {
  severity: 'warning' as const,
  summary: 'A rule made up for this test.',
  why: 'It exercises the runner.',
  docs: 'https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html',
  fix: 'None.',
  tags: ['test'],
};
const throwing: Rule = defineRule({
  ...meta,
  id: 'throwing',
  messages: { never: 'never shown' },
  check: () => {
    throw new Error('kaboom');
  },
});
/** Drafts a message id its metadata does not declare: a bug in the rule, reported like a crash. */
const unknownMessage: Rule = { ...throwing, id: 'unknown-message', check: () => [{ messageId: 'missing', data: {} }] };
const missingData: Rule = defineRule({
  ...meta,
  id: 'missing-data',
  messages: { needsName: 'hello {{name}}' },
  check: () => [{ messageId: 'needsName', data: {} }],
});
const MISSING_START = { definition: distributedMap(), policies: [allow(...REQUIRED.slice(1))] };

// The runner, not a check, makes rule-error findings; the rules beside the failing one still report.
ruleTester([throwing, missingPermission]).run('rule-error', {
  valid: [],
  invalid: [
    {
      name: 'a throwing rule becomes a rule-error finding and the next rule still runs',
      machine: MISSING_START,
      errors: [
        {
          rule: 'rule-error',
          messageId: 'ruleFailed',
          state: '$',
          message: 'rule throwing failed on this state machine: kaboom',
        },
        { rule: 'missing-permission', messageId: 'notAllowed', state: '$.States.Map', action: 'states:StartExecution' },
      ],
    },
    {
      name: 'a rule throwing on a passing machine still reports',
      machine: { definition: distributedMap(), policies: [DMAP_POLICY] },
      errors: [{ rule: 'rule-error', messageId: 'ruleFailed', state: '$' }],
    },
  ],
});

ruleTester([missingPermission, throwing]).run('rule-error after another rule', {
  valid: [],
  invalid: [
    {
      name: 'the findings of the rules before it stay',
      machine: MISSING_START,
      errors: [
        { rule: 'missing-permission', messageId: 'notAllowed', state: '$.States.Map', action: 'states:StartExecution' },
        { rule: 'rule-error', messageId: 'ruleFailed', state: '$' },
      ],
    },
  ],
});

ruleTester(ruleError).run('rule-error alone', {
  valid: [
    { name: 'on an empty template', template: { Resources: {} } },
    { name: 'on a machine with findings of other rules', machine: MISSING_START },
    { name: 'on a passing machine', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
  ],
  invalid: [],
});

ruleTester([unknownMessage, missingData, missingPermission]).run('rule-error from a rule that drafts a bad message', {
  valid: [],
  invalid: [
    {
      name: 'an undeclared message id and a missing placeholder are rule errors; the last rule still runs',
      machine: MISSING_START,
      errors: [
        {
          rule: 'rule-error',
          messageId: 'ruleFailed',
          state: '$',
          message: 'rule unknown-message failed on this state machine: rule unknown-message has no message missing',
        },
        {
          rule: 'rule-error',
          messageId: 'ruleFailed',
          state: '$',
          message: 'rule missing-data failed on this state machine: message missing-data/needsName needs {{name}}',
        },
        { rule: 'missing-permission', messageId: 'notAllowed', state: '$.States.Map', action: 'states:StartExecution' },
      ],
    },
  ],
});

describe('rule-error findings', () => {
  it('are errors with the rule-error fix, whatever the failing rule’s severity', async () => {
    const [finding] = await findingsOf({ name: 'throwing', machine: MISSING_START }, [throwing]);
    expect(finding).toMatchObject({
      rule: 'rule-error',
      severity: 'error',
      fix: ruleError.fix,
      actions: [],
      resources: [],
    });
  });
});

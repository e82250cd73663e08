import { formatTemplate } from '../../lib/checks/format';

const MESSAGES = { plain: '{{action}} on {{resources}}: {{count}} needs', twice: '{{a}} and {{a}}', none: 'no data' };

describe('formatTemplate', () => {
  it.each([
    ['plain', { action: 's3:GetObject', resources: ['a', 'b'], count: 2 }, 's3:GetObject on a, b: 2 needs'],
    ['twice', { a: 'x' }, 'x and x'],
    ['none', {}, 'no data'],
    // Replacement patterns in values are text, not instructions; values are not scanned for placeholders again.
    ['twice', { a: '$& {{a}} $1' }, '$& {{a}} $1 and $& {{a}} $1'],
  ])('%s with %j', (id, data, text) => {
    expect(formatTemplate(MESSAGES, id, data, 'test-rule')).toBe(text);
  });

  it('names the rule and placeholder when data is missing', () => {
    expect(() => formatTemplate(MESSAGES, 'plain', { action: 'x', count: 1 }, 'test-rule')).toThrow(
      'message test-rule/plain needs {{resources}}',
    );
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'missing'])(
    'has no message %s unless the rule declares it',
    (id) => {
      expect(() => formatTemplate(MESSAGES, id, {}, 'test-rule')).toThrow(`rule test-rule has no message ${id}`);
    },
  );

  it.each(['constructor', 'toString', '__proto__'])('takes no placeholder value %s from the prototype', (name) => {
    expect(() => formatTemplate({ m: `{{${name}}}` }, 'm', {}, 'test-rule')).toThrow(`needs {{${name}}}`);
  });
});

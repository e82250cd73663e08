// The linear scanners give what the regular expressions they replace gave (the regex is the oracle on small inputs).
import fc from 'fast-check';
import { arnPathAndName, kmsAliasIn, underPrefix, unresolvedMarkerIn } from '../../lib/model/arns';
import { interpolations, trimTrailing } from '../../lib/model/text';
import { joinLines, oneLine } from '../../lib/report/message';

const over = (...units: string[]) => fc.string({ unit: fc.constantFrom(...units), maxLength: 24 });
const property = (arbitrary: fc.Arbitrary<string>, check: (text: string) => void) =>
  fc.assert(fc.property(arbitrary, check), { numRuns: 2000 });

const matches = (text: string, regex: RegExp) =>
  [...text.matchAll(regex)].map((m) => ({ index: m.index, end: m.index + m[0].length, inner: m[1] }));

describe('trimTrailing', () => {
  test.each(['', '/', '//', 'a/', 'a//', '/a', 'a/b/', '/a/ /'])('%j as replace(/\\/+$/)', (text) => {
    expect(trimTrailing(text, '/')).toBe(text.replace(/\/+$/, ''));
  });
  test('any text', () =>
    property(over('/', '*', 'a'), (t) => expect(trimTrailing(t, '*')).toBe(t.replace(/\*+$/, ''))));
  test('underPrefix', () => {
    expect(['', '/', 'results', 'results/', 'a//b//'].map(underPrefix)).toEqual([
      '*',
      '*',
      'results/*',
      'results/*',
      'a//b/*',
    ]);
  });
});

describe('interpolations', () => {
  test.each(['', '${a}', '${}', '${a', '${a}${b}', 'x${a, "d"}y', '${${a}', '${a}}', '$${a}', '${a${b}}', '}${'])(
    '%j as matchAll(/\\$\\{([^}]*)\\}/g)',
    (text) => expect(interpolations(text)).toEqual(matches(text, /\$\{([^}]*)\}/g)),
  );
  test.each(['${!Literal}', '${}', '${!a}${b}', '${}${b}', '${${a}', '${!${a}', '${!', '$${a}', '${a}${!b}', '${'])(
    'Fn::Sub %j as matchAll(/\\$\\{([^!}][^}]*)\\}/g)',
    (text) => expect(interpolations(text, true)).toEqual(matches(text, /\$\{([^!}][^}]*)\}/g)),
  );
  test('any text', () =>
    property(over('$', '{', '}', '!', 'a'), (t) => {
      expect(interpolations(t)).toEqual(matches(t, /\$\{([^}]*)\}/g));
      expect(interpolations(t, true)).toEqual(matches(t, /\$\{([^!}][^}]*)\}/g));
    }));
});

describe('joinLines and oneLine', () => {
  const cases = [
    '',
    'a',
    ' a ',
    'a\nb',
    'a \n b',
    'a\t\r\n\u00a0b',
    'a  b',
    '\n',
    ' \n ',
    'a\n\nb\n',
    'a\u2028b',
    'a \t b\n',
  ];
  test.each(cases)('%j as replace(/\\s*\\n\\s*/g, " ")', (text) => {
    expect(joinLines(text)).toBe(text.replace(/\s*\n\s*/g, ' '));
    expect(oneLine(text)).toBe(text.replace(/\s*\n\s*/g, ' ').trim());
  });
  test('any text', () =>
    property(over(' ', '\n', '\t', '\r', '\u00a0', '\u2028', '\ufeff', 'a'), (t) =>
      expect(oneLine(t)).toBe(t.replace(/\s*\n\s*/g, ' ').trim()),
    ));
});

describe('unresolvedMarkerIn', () => {
  const oracle = (t: string) => {
    const m = /\{\{dmap-guard:unresolved:([^}]*)\}\}/.exec(t);
    return m ? [m[0], m[1]] : undefined;
  };
  const marker = '{{dmap-guard:unresolved:';
  test.each([
    '',
    marker,
    `${marker}x}}`,
    `${marker}x}`,
    `${marker}x} ${marker}y}}`,
    `${marker}${marker}x}}`,
    `a${marker}}}b`,
  ])('%j as the regex', (text) => expect(unresolvedMarkerIn(text)).toEqual(oracle(text)));
  test('any text', () =>
    property(over(marker, '}', '{', 'x'), (t) => expect(unresolvedMarkerIn(t)).toEqual(oracle(t))));
});

describe('ARN paths and aliases', () => {
  const policy = (t: string) => {
    const m = /:policy(\/.*\/|\/)([^/]+)$/.exec(t);
    return m ? { path: m[1], name: m[2] } : undefined;
  };
  const user = (t: string) => /:user\/(?:.*\/)?([^/]+)$/.exec(t)?.[1];
  const alias = (t: string) => /:(alias\/.+)$/.exec(t)?.[1];
  test.each([
    'arn:aws:iam::123456789012:policy/p',
    'arn:aws:iam::123456789012:policy/team/a/p',
    'arn:aws:iam::123456789012:policy/',
    'arn:aws:iam::123456789012:policy/a\n/p',
    ':policy/a\n:policy/b/p',
    'p',
    ':policy',
  ])('policy %j', (text) => expect(arnPathAndName(text, ':policy')).toEqual(policy(text)));
  test.each(['arn:aws:iam::123456789012:user/u', 'arn:aws:iam::123456789012:user/dev/u', ':user/\n/u', ':user/u/'])(
    'user %j',
    (text) => expect(arnPathAndName(text, ':user')?.name).toEqual(user(text)),
  );
  test.each(['arn:aws:kms:us-east-1:123456789012:alias/a', ':alias/', ':alias/a\n', ':alias/\n:alias/b', 'alias/a'])(
    'alias %j',
    (text) => expect(kmsAliasIn(text)).toEqual(alias(text)),
  );
  test('any text', () =>
    property(over(':policy', ':user', ':alias', '/', '\n', '\r', 'a'), (t) => {
      expect(arnPathAndName(t, ':policy')).toEqual(policy(t));
      expect(arnPathAndName(t, ':user')?.name).toEqual(user(t));
      expect(kmsAliasIn(t)).toEqual(alias(t));
    }));
});

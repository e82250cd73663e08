import fc from 'fast-check';
import { isS3Host } from '../../lib/aws/payload';
import { actionMatches, arnMatches, globMatch, substituteVariables, UNRESOLVED } from '../../lib/iam/match';

// The RegExp forms the matchers replaced: correct but backtracking; kept here only as oracles on short inputs.
function regexGlob(pattern: string, value: string): boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`).test(value);
}
const REGEX_S3_HOST = /^([a-z0-9.-]+\.)?s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

describe('globMatch', () => {
  it.each<[string, string, boolean]>([
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*', 'a', true],
    ['*a', 'ba', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['**', 'anything', true],
    ['a.b', 'aXb', false],
    ['images/*', 'images/2026/a.png', true],
  ])('%j against %j → %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });

  it('agrees with the RegExp it replaced on arbitrary short patterns and values', () => {
    const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text(['a', 'b', '*', '?', '.', '/']), text(['a', 'b', '.', '/', '*']), (pattern, value) => {
        expect(globMatch(pattern, value)).toBe(regexGlob(pattern, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers an adversarial pattern against a 60-character key without backtracking', () => {
    const key = `arn:aws:s3:::${'a'.repeat(60)}`;
    expect(arnMatches('arn:aws:s3:::*a*a*a*a*a*a*a*a*b', key)).toBe(false);
    expect(arnMatches('arn:aws:s3:::*a*a*a*a*a*a*a*a*a', key)).toBe(true);
    expect(globMatch(`${'*a'.repeat(30)}*b`, 'a'.repeat(10_000))).toBe(false);
  });

  it('keeps action matching case-insensitive and ARN matching case-sensitive', () => {
    expect(actionMatches('S3:Get*', 's3:getobject')).toBe(true);
    expect(arnMatches('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a')).toBe(false);
  });

  it('does not let a wildcard cross the region or account segment of an ARN', () => {
    expect(arnMatches('arn:aws:sqs:*:111122223333:q', 'arn:aws:sqs:us-east-1:111122223333:q')).toBe(true);
    expect(arnMatches('arn:aws:sqs:us-*:q', 'arn:aws:sqs:us-east-1:111122223333:q')).toBe(false);
    expect(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b/c')).toBe(true);
  });
});

describe('isS3Host', () => {
  it.each<[string, boolean]>([
    ['s3.amazonaws.com', true],
    ['bucket.s3.us-east-1.amazonaws.com', true],
    ['bucket.s3-us-west-2.amazonaws.com', true],
    ['a.b.s3.dualstack.eu-west-1.amazonaws.com', true],
    ['bucket.s3.cn-north-1.amazonaws.com.cn', true],
    ['s3-.amazonaws.com', false],
    ['.s3.amazonaws.com', false],
    ['s3..amazonaws.com', false],
    ['s3.amazonaws.com.evil.example', false],
    ['evils3.amazonaws.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isS3Host(host)).toBe(expected);
  });

  it('agrees with the RegExp it replaced on arbitrary short hosts', () => {
    const label = fc.array(fc.constantFrom('s', '3', '-', '.', 'a'), { maxLength: 10 }).map((a) => a.join(''));
    fc.assert(
      fc.property(label, fc.constantFrom('.amazonaws.com', '.amazonaws.com.cn', '.amazonaws.co'), (head, domain) => {
        expect(isS3Host(head + domain)).toBe(REGEX_S3_HOST.test(head + domain));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers a host built to make the old RegExp backtrack exponentially', () => {
    expect(isS3Host(`s3${'-a'.repeat(5000)}.amazonaws.co`)).toBe(false);
    expect(isS3Host(`s3${'-a'.repeat(5000)}.amazonaws.com`)).toBe(true);
  });
});

describe('substituteVariables', () => {
  const context = new Map([['aws:username', ['ana']]]);
  it.each<[string, string | typeof UNRESOLVED]>([
    ['home/${aws:username}/', 'home/ana/'],
    ['${aws:username}${aws:username}', 'anaana'],
    ["${aws:userid, 'guest'}", 'guest'],
    ['${aws:userid}', UNRESOLVED],
    ['${ $ }5', '$5'],
    ['a${b', 'a${b'],
    ['${aws:username', '${aws:username'],
  ])('%j → %j', (text, expected) => {
    expect(substituteVariables(text, context)).toBe(expected);
  });

  it('leaves a million unclosed `${` as they are', () => {
    const text = '${'.repeat(1_000_000);
    expect(substituteVariables(text, context)).toBe(text);
  });
});

import { compileCondition, ipInRange } from '../../lib/iam/conditions';
import { toRequestContext } from '../../lib/iam/evaluate';

type Row = [
  operator: string,
  key: string,
  policyValues: string[],
  context: Record<string, string[]>,
  expected: boolean,
];

function run([operator, key, values, context]: Row): boolean | 'unknown' {
  const condition = compileCondition(operator, key, values);
  if (typeof condition === 'string') throw new Error(condition);
  return condition.test(toRequestContext(context));
}

describe('condition operators (IAM User Guide: condition operators)', () => {
  it.each<Row>([
    // String operators: equality is case-sensitive unless IgnoreCase; Like globs with * and ?.
    ['StringEquals', 's3:prefix', ['images/'], { 's3:prefix': ['images/'] }, true],
    ['StringEquals', 's3:prefix', ['images/'], { 's3:prefix': ['Images/'] }, false],
    ['StringNotEquals', 'aws:RequestedRegion', ['us-east-1'], { 'aws:RequestedRegion': ['eu-west-1'] }, true],
    ['StringNotEquals', 'aws:RequestedRegion', ['us-east-1'], { 'aws:RequestedRegion': ['us-east-1'] }, false],
    ['StringEqualsIgnoreCase', 'aws:PrincipalTag/team', ['Data'], { 'aws:PrincipalTag/team': ['data'] }, true],
    ['StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', ['Data'], { 'aws:PrincipalTag/team': ['DATA'] }, false],
    ['StringLike', 's3:prefix', ['images/*'], { 's3:prefix': ['images/2026/a.png'] }, true],
    ['StringLike', 's3:prefix', ['img?/'], { 's3:prefix': ['img1/'] }, true],
    ['StringLike', 's3:prefix', ['images/*'], { 's3:prefix': ['video/'] }, false],
    ['StringNotLike', 's3:prefix', ['tmp/*'], { 's3:prefix': ['data/'] }, true],
    ['StringNotLike', 's3:prefix', ['tmp/*'], { 's3:prefix': ['tmp/x'] }, false],
    // Any of several policy values (OR across values).
    ['StringEquals', 'aws:RequestedRegion', ['us-east-1', 'us-west-2'], { 'aws:RequestedRegion': ['us-west-2'] }, true],
    // Numeric.
    ['NumericEquals', 's3:max-keys', ['10'], { 's3:max-keys': ['10'] }, true],
    ['NumericNotEquals', 's3:max-keys', ['10'], { 's3:max-keys': ['11'] }, true],
    ['NumericLessThan', 's3:max-keys', ['10'], { 's3:max-keys': ['9'] }, true],
    ['NumericLessThan', 's3:max-keys', ['10'], { 's3:max-keys': ['10'] }, false],
    ['NumericLessThanEquals', 's3:max-keys', ['10'], { 's3:max-keys': ['10'] }, true],
    ['NumericGreaterThan', 's3:max-keys', ['10'], { 's3:max-keys': ['11'] }, true],
    ['NumericGreaterThanEquals', 's3:max-keys', ['10'], { 's3:max-keys': ['9'] }, false],
    ['NumericEquals', 's3:max-keys', ['10'], { 's3:max-keys': ['ten'] }, false],
    // Date: ISO 8601 or epoch seconds.
    [
      'DateGreaterThan',
      'aws:CurrentTime',
      ['2026-01-01T00:00:00Z'],
      { 'aws:CurrentTime': ['2026-11-28T00:00:00Z'] },
      true,
    ],
    [
      'DateLessThan',
      'aws:CurrentTime',
      ['2026-01-01T00:00:00Z'],
      { 'aws:CurrentTime': ['2026-11-28T00:00:00Z'] },
      false,
    ],
    ['DateEquals', 'aws:EpochTime', ['1767225600'], { 'aws:EpochTime': ['2026-01-01T00:00:00Z'] }, true],
    [
      'DateNotEquals',
      'aws:CurrentTime',
      ['2026-01-01T00:00:00Z'],
      { 'aws:CurrentTime': ['2026-01-02T00:00:00Z'] },
      true,
    ],
    [
      'DateLessThanEquals',
      'aws:CurrentTime',
      ['2026-01-01T00:00:00Z'],
      { 'aws:CurrentTime': ['2026-01-01T00:00:00Z'] },
      true,
    ],
    [
      'DateGreaterThanEquals',
      'aws:CurrentTime',
      ['2026-01-02T00:00:00Z'],
      { 'aws:CurrentTime': ['2026-01-01T00:00:00Z'] },
      false,
    ],
    // Bool and Binary.
    ['Bool', 'aws:SecureTransport', ['true'], { 'aws:SecureTransport': ['true'] }, true],
    ['Bool', 'aws:SecureTransport', ['true'], { 'aws:SecureTransport': ['false'] }, false],
    ['BinaryEquals', 'key', ['QmluYXJ5'], { key: ['QmluYXJ5'] }, true],
    // IP addresses, v4 and v6, CIDR or bare.
    ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': ['203.0.113.7'] }, true],
    ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': ['203.0.114.7'] }, false],
    ['IpAddress', 'aws:SourceIp', ['203.0.113.5'], { 'aws:SourceIp': ['203.0.113.5'] }, true],
    ['IpAddress', 'aws:SourceIp', ['2001:DB8:1234:5678::/64'], { 'aws:SourceIp': ['2001:db8:1234:5678::1'] }, true],
    ['IpAddress', 'aws:SourceIp', ['2001:DB8:1234:5678::/64'], { 'aws:SourceIp': ['2001:db8:1234:5679::1'] }, false],
    ['NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { 'aws:SourceIp': ['192.0.2.1'] }, true],
    ['NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { 'aws:SourceIp': ['10.1.2.3'] }, false],
    // ARN operators: case-sensitive, segment by segment, wildcards allowed.
    [
      'ArnEquals',
      'aws:SourceArn',
      ['arn:aws:states:us-east-1:123456789012:stateMachine:A'],
      { 'aws:SourceArn': ['arn:aws:states:us-east-1:123456789012:stateMachine:A'] },
      true,
    ],
    [
      'ArnLike',
      'aws:SourceArn',
      ['arn:aws:states:*:123456789012:stateMachine:*'],
      { 'aws:SourceArn': ['arn:aws:states:eu-west-1:123456789012:stateMachine:B'] },
      true,
    ],
    [
      'ArnLike',
      'aws:SourceArn',
      ['arn:aws:states:*:123456789012:stateMachine:*'],
      { 'aws:SourceArn': ['arn:aws:states:eu-west-1:210987654321:stateMachine:B'] },
      false,
    ],
    [
      'ArnNotEquals',
      'aws:SourceArn',
      ['arn:aws:sns:us-east-1:123456789012:t'],
      { 'aws:SourceArn': ['arn:aws:sns:us-east-1:123456789012:u'] },
      true,
    ],
    [
      'ArnNotLike',
      'aws:SourceArn',
      ['arn:aws:sns:*:*:t*'],
      { 'aws:SourceArn': ['arn:aws:sns:us-east-1:123456789012:topic'] },
      false,
    ],
    // Key names are case-insensitive.
    ['StringEquals', 'S3:PREFIX', ['a'], { 's3:prefix': ['a'] }, true],
  ])('%s %s %j with %j → %s', (...row) => {
    expect(run(row)).toBe(row[4]);
  });
});

describe('missing keys, IfExists, Null and the set qualifiers (IAM User Guide: condition element)', () => {
  it.each<Row>([
    ['StringEquals', 's3:prefix', ['a'], {}, false],
    ['StringLike', 's3:prefix', ['*'], {}, false],
    ['StringNotEquals', 'aws:RequestedRegion', ['us-east-1'], {}, true],
    ['StringNotLike', 's3:prefix', ['tmp/*'], {}, true],
    ['ArnNotLike', 'aws:SourceArn', ['arn:aws:*'], {}, true],
    ['NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], {}, true],
    ['NumericNotEquals', 'k', ['1'], {}, true],
    ['StringEqualsIfExists', 'aws:ResourceTag/env', ['prod'], {}, true],
    ['StringEqualsIfExists', 'aws:ResourceTag/env', ['prod'], { 'aws:ResourceTag/env': ['dev'] }, false],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['true'], {}, true],
    ['Null', 'aws:TokenIssueTime', ['true'], {}, true],
    ['Null', 'aws:TokenIssueTime', ['true'], { 'aws:TokenIssueTime': ['2026-01-01T00:00:00Z'] }, false],
    ['Null', 'aws:TokenIssueTime', ['false'], { 'aws:TokenIssueTime': ['2026-01-01T00:00:00Z'] }, true],
    ['Null', 'aws:TokenIssueTime', ['false'], {}, false],
    // ForAllValues: every request value must match; an empty or missing key matches.
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a'] }, true],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'c'] }, false],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], {}, true],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': [] }, true],
    ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['a', 'b'] }, true],
    ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['a', 'secret'] }, false],
    // ForAnyValue: one request value must match; a missing key does not match.
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['x', 'a'] }, true],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['x'] }, false],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], {}, false],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a', 'b'] }, true],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], {}, false],
    ['ForAnyValue:StringLike', 'aws:TagKeys', ['env*'], { 'aws:TagKeys': ['environment'] }, true],
  ])('%s %s %j with %j → %s', (...row) => {
    expect(run(row)).toBe(row[4]);
  });

  it('reports unknown operators instead of guessing', () => {
    expect(compileCondition('StringSortOf', 'k', ['v'])).toMatch(/unknown condition operator/);
    expect(compileCondition('ForAnyValue:Null', 'k', ['true'])).toMatch(/set qualifier/);
  });
});

describe('policy variables in condition values', () => {
  it.each<Row>([
    [
      'StringEquals',
      's3:prefix',
      ['home/${aws:username}/'],
      { 's3:prefix': ['home/ana/'], 'aws:username': ['ana'] },
      true,
    ],
    [
      'StringEquals',
      's3:prefix',
      ['home/${aws:username}/'],
      { 's3:prefix': ['home/bob/'], 'aws:username': ['ana'] },
      false,
    ],
    ['StringEquals', 's3:prefix', ["home/${aws:username, 'guest'}/"], { 's3:prefix': ['home/guest/'] }, true],
    // A variable with no value and no default makes the condition fail.
    ['StringEquals', 's3:prefix', ['home/${aws:username}/'], { 's3:prefix': ['home//'] }, false],
    ['StringEquals', 'k', ['a${*}b'], { k: ['a*b'] }, true],
    ['StringLike', 'k', ['a${*}b'], { k: ['axxb'] }, false],
    ['StringLike', 'k', ['a${*}b'], { k: ['a*b'] }, true],
    ['StringEquals', 'k', ['${$}5'], { k: ['$5'] }, true],
  ])('%s %s %j with %j → %s', (...row) => {
    expect(run(row)).toBe(row[4]);
  });
});

describe('ipInRange', () => {
  it.each<[string, string, boolean]>([
    ['::ffff:192.0.2.1', '::ffff:192.0.2.0/120', true],
    ['192.0.2.1', '2001:db8::/32', false],
    ['not-an-ip', '10.0.0.0/8', false],
    ['10.0.0.1', '10.0.0.0/33', false],
    ['::1', '::1', true],
  ])('%s in %s → %s', (ip, range, expected) => {
    expect(ipInRange(ip, range)).toBe(expected);
  });
});

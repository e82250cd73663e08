// Conditions IAM would refuse to save are invalid statements: reported as policy problems, never applied or dropped.
// Date values: the Date condition operators section of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
// accepts the W3C implementations of ISO 8601 and epoch (UNIX) time only, and no policy variables.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCondition } from '../../lib/iam/conditions';
import { compilePolicySet, parsePolicy } from '../../lib/iam';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

function problemsOf(condition: string): string[] {
  // JSON text, as IAM and templates deliver it: `__proto__` is then an own key, not a prototype.
  const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":${condition}}]}`;
  const parsed = parsePolicy(text, 'p');
  const set = compilePolicySet({ identity: [parsed.policy] });
  return [...parsed.problems, ...set.problems].map((p) => `${p.path}: ${p.message}`);
}

describe('malformed condition values are refused', () => {
  it.each<[operator: string, value: string, problem: RegExp]>([
    ['NumericNotEquals', 'ten', /expected a number/],
    ['NumericLessThan', '', /expected a number/],
    ['NumericEquals', '0x10', /expected a number/],
    ['DateNotEquals', 'Tue, 01 Dec 2026 00:00:00 GMT', /ISO 8601 date or epoch seconds/],
    ['DateGreaterThan', '2026/01/01', /ISO 8601/],
    ['DateLessThan', 'tomorrow', /ISO 8601/],
    ['DateEquals', '2026-01-01T00:00:00', /ISO 8601/],
    ['DateEquals', '2026-13-01', /ISO 8601/],
    ['DateGreaterThan', '${aws:CurrentTime}', /no policy variables/],
    ['NotIpAddress', '10.0.0.0/33', /IPv4 or IPv6/],
    ['NotIpAddress', 'not-an-ip', /IPv4 or IPv6/],
    ['IpAddress', '10.0.0.0/8/8', /IPv4 or IPv6/],
    ['Bool', 'yes', /true or false/],
    ['Null', 'maybe', /true or false/],
    ['ForAllValues:NumericNotEquals', 'x', /expected a number/],
    ['DateNotEqualsIfExists', '01/02/2026', /ISO 8601/],
  ])('%s "%s"', (operator, value, problem) => {
    const result = compileCondition(operator, 'aws:Key', [value]);
    expect(typeof result).toBe('string');
    expect(result).toMatch(problem);
  });

  it.each<[operator: string, value: string]>([
    ['NumericNotEquals', '10'],
    ['NumericLessThan', '-1.5'],
    ['DateNotEquals', '2026'],
    ['DateNotEquals', '2026-01'],
    ['DateNotEquals', '2026-01-01'],
    ['DateNotEquals', '2026-01-01T00:00Z'],
    ['DateNotEquals', '2026-01-01T00:00:00.123+02:00'],
    ['DateNotEquals', '1767225600'],
    ['NotIpAddress', '2001:db8::/32'],
    ['Bool', 'TRUE'],
    ['Null', 'false'],
    ['StringNotEquals', ''],
    ['NumericEquals', '${aws:MultiFactorAuthAge}'],
  ])('%s "%s" is accepted', (operator, value) => {
    expect(typeof compileCondition(operator, 'aws:Key', [value])).toBe('object');
  });
});

describe('prototype names in conditions', () => {
  it.each<[condition: string, problem: RegExp]>([
    ['{"__proto__":{"aws:SourceIp":"10.0.0.0/8"}}', /Condition.__proto__: unknown condition operator/],
    ['{"constructor":{"aws:SourceIp":"10.0.0.0/8"}}', /unknown condition operator "constructor"/],
    ['{"StringEquals":{"__proto__":"x"}}', /StringEquals\["__proto__"\]: expected a condition key of the form/],
    ['{"StringEquals":{"toString":"x"}}', /expected a condition key/],
    ['{"StringEquals":{"aws:PrincipalTag/team":"x"}}', /^$/],
  ])('%s', (condition, problem) => {
    expect(problemsOf(condition).join('\n')).toMatch(problem);
  });

  it('a statement with one of them grants nothing and is an invalid-policy finding', async () => {
    const template = JSON.parse(readFileSync(join(FIXTURES, 'check', 'least-privilege-passes.json'), 'utf8'));
    const statement = template.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0];
    statement.Condition = JSON.parse('{"__proto__":{"aws:SourceIp":"10.0.0.0/8"}}');
    const file = join(mkdtempSync(join(tmpdir(), 'dmap-guard-condition-')), 'template.json');
    writeFileSync(file, JSON.stringify(template));
    const { stdout } = await runCli(['check', file, '--format', 'json', '--fail-on', 'never']);
    const rules = (JSON.parse(stdout).findings as Array<{ rule: string }>).map((f) => f.rule);
    expect(rules).toContain('invalid-policy');
    expect(rules).toContain('missing-permission');
  });
});

// One template fixture per rule and situation; each declares in Metadata.dmap-guard-test the findings it expects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../lib/checks/registry';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

const DIR = join(FIXTURES, 'check');
interface Expectation {
  expect: Record<string, number | string>;
  absent: string[];
}
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const template = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
    return [
      file.replace(/\.json$/, ''),
      template.Description as string,
      template.Metadata['dmap-guard-test'] as Expectation,
    ] as const;
  });

describe('check rules on template fixtures', () => {
  it.each(cases)('%s: %s', async (name, _description, expectation) => {
    const { stdout, stderr } = await runCli([
      'check',
      join(DIR, `${name}.json`),
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    // A note names the AWS managed policies judged by their offline documents; nothing else goes to stderr.
    expect(stderr.replace(/^note: .*\n/gm, '')).toBe('');
    const findings = JSON.parse(stdout).findings.filter((f: { suppressed?: unknown }) => !f.suppressed);
    const count = (rule: string) => findings.filter((f: { rule: string }) => f.rule === rule).length;
    for (const [rule, wanted] of Object.entries(expectation.expect)) {
      if (typeof wanted === 'string') expect([rule, count(rule)]).toEqual([rule, expect.any(Number)]);
      if (typeof wanted === 'string') expect(count(rule)).toBeGreaterThanOrEqual(Number(wanted.replace('>=', '')));
      else expect([rule, count(rule)]).toEqual([rule, wanted]);
    }
    for (const rule of expectation.absent) expect([rule, count(rule)]).toEqual([rule, 0]);
  });

  it('every rule except rule-error fires in at least one fixture', () => {
    const fired = new Set(cases.flatMap(([, , e]) => Object.keys(e.expect)));
    expect(RULES.map((r) => r.id).filter((id) => id !== 'rule-error' && !fired.has(id))).toEqual([]);
  });

  it('a suppression keeps the finding in JSON, marked with its reason, and out of the verdict', async () => {
    const { code, stdout } = await runCli([
      'check',
      join(DIR, 'suppressed.json'),
      '--format',
      'json',
      '--fail-on',
      'warning',
    ]);
    const report = JSON.parse(stdout);
    expect(report.findings.find((f: { rule: string }) => f.rule === 'over-broad-grant').suppressed).toEqual({
      reason: 'Shared orchestration role, reviewed in SEC-123',
    });
    expect(report.summary.suppressed).toBe(1);
    expect(code).toBe(0);
  });

  it('explains an explicit deny by naming the statement', async () => {
    const { stdout } = await runCli(['check', join(DIR, 'explicit-deny.json'), '--format', 'json']);
    expect(JSON.parse(stdout).findings[0].message).toMatch(/explicitly denied by statement NoStop of Role\/Machine/);
  });
});

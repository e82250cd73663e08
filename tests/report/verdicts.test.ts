// Verdicts: PASS | FAIL | UNVERIFIED per machine, and the failOn scale error > unverified > warning > info, as the
// CLI (--fail-on), the hook (FAIL_ON), the custom resource (FailOn) and validate (failOn) read it.
import type { Finding } from '../../lib/checks/types';
import { hookConfig } from '../../lib/lambda/hook/config';
import { verdict } from '../../lib/lambda/hook/response';
import { buildReport, failOnOf, failsAt, verdictOf, type FailOn } from '../../lib/report/report';
import { renderSarif } from '../../lib/report/sarif';
import { renderText } from '../../lib/report/text';
import { RULES } from '../../lib/checks/registry';
import { findingOf } from '../helpers/finding';
import { checkCase } from '../helpers/rule-tester';
import { DMAP_POLICY, distributedMap } from '../checks/machines';

const finding = (rule: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding =>
  findingOf({ rule, severity, message: `${rule} message`, fix: `${rule} fix`, ...extra });
const ERROR = finding('missing-permission', 'error');
const UNVERIFIED = finding('unverifiable', 'warning');
const RUNTIME = finding('runtime-resource', 'warning');
const WARNING = finding('missing-recommended-permission', 'warning');
const INFO = finding('invalid-policy', 'info');
const UNMODELED = finding('unverifiable', 'warning', { messageId: 'notChecked' });

describe('verdictOf', () => {
  it.each([
    ['no findings', [], 'pass'],
    ['warnings only', [WARNING], 'pass'],
    ['an unverifiable finding', [WARNING, UNVERIFIED], 'unverified'],
    ['a run-time value', [RUNTIME], 'unverified'],
    ['an unmodeled integration', [UNMODELED], 'unverified'],
    ['info only', [INFO], 'pass'],
    ['an error beside an unverifiable finding', [UNVERIFIED, ERROR], 'fail'],
    ['a suppressed unverifiable finding', [{ ...UNVERIFIED, suppressed: { reason: 'reviewed' } }], 'pass'],
  ] as Array<[string, Finding[], string]>)('%s: %s', (_name, findings, expected) => {
    expect(verdictOf(findings)).toBe(expected);
  });
});

describe('failsAt: error > unverified > warning > info', () => {
  const table: Array<[FailOn, boolean, boolean, boolean, boolean]> = [
    // failOn        error  unverified warning info
    ['error', true, false, false, false],
    ['unverified', true, true, false, false],
    ['warning', true, true, true, false],
    ['info', true, true, true, true],
    ['never', false, false, false, false],
  ];
  it.each(table)('--fail-on %s', (failOn, error, unverified, warning, info) => {
    expect([ERROR, UNVERIFIED, WARNING, finding('over-broad-grant', 'info')].map((f) => failsAt(f, failOn))).toEqual([
      error,
      unverified,
      warning,
      info,
    ]);
  });
  it('reads the level from input, falling back on error', () => {
    expect(['unverified', 'warning', 'bogus', undefined].map((v) => failOnOf(v))).toEqual([
      'unverified',
      'warning',
      'error',
      'error',
    ]);
    expect(hookConfig({ FAIL_ON: 'unverified' }).failOn).toBe('unverified');
  });
});

describe('hook verdict', () => {
  it('UNVERIFIED with FAIL_ON=unverified fails NonCompliant, naming UNVERIFIED and the fix', () => {
    const response = verdict('t', 'AWS::StepFunctions::StateMachine Machine', [UNVERIFIED], 'unverified');
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).toMatch(/is UNVERIFIED .*fails on unverified/);
    expect(response.message).toContain('Fix: unverifiable fix');
  });
  it('UNVERIFIED with FAIL_ON=error succeeds, saying UNVERIFIED and what to do', () => {
    const response = verdict('t', 'AWS::StepFunctions::StateMachine Machine', [UNVERIFIED, WARNING], 'error');
    expect(response.hookStatus).toBe('SUCCESS');
    expect(response.message).toMatch(/^dmap-guard: AWS::StepFunctions::StateMachine Machine is UNVERIFIED/);
    // What could not be verified comes before plain warnings, with its fix.
    expect(response.annotations?.map((a) => [a.annotationName, a.status])).toEqual([
      ['unverifiable', 'SKIPPED'],
      ['missing-recommended-permission', 'PASSED'],
    ]);
    expect(response.message?.split('\n')[1]).toBe(
      '[warning] unverifiable (Machine): unverifiable message Fix: unverifiable fix',
    );
  });
  it('a pass says passed', () => {
    expect(verdict('t', 'X', [WARNING], 'error').message).toMatch(/^dmap-guard: X passed with 1 warning\./);
  });
});

describe('report verdicts', () => {
  it('an external role without a snapshot: UNVERIFIED in the summary, text and SARIF; exit only with --fail-on unverified', async () => {
    const { findings, analyses } = await checkCase(
      { name: 'external', machine: { definition: distributedMap(), roleArn: 'arn:aws:iam::123456789012:role/x' } },
      RULES,
    );
    const report = buildReport(analyses, findings, 'error');
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['unverified']);
    expect(report.summary).toMatchObject({ unverified: 1, failed: false });
    expect(buildReport(analyses, findings, 'unverified').summary.failed).toBe(true);
    expect(renderText(report)).toMatch(/Machine \(STANDARD, 1 Distributed Map\) — UNVERIFIED/);
    expect(renderText(report)).toMatch(/UNVERIFIED: 1 state machine could not be verified/);
    const sarif = JSON.parse(renderSarif(report, RULES, '0.0.0'));
    expect(sarif.runs[0].properties.stateMachines).toEqual([
      { template: 'template.json', stateMachine: 'Machine', verdict: 'UNVERIFIED' },
    ]);
  });
  it('a role that grants every need passes', async () => {
    const { findings, analyses } = await checkCase(
      { name: 'pass', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
      RULES,
    );
    expect(buildReport(analyses, findings, 'unverified').stateMachines.map((m) => m.verdict)).toEqual(['pass']);
  });
});

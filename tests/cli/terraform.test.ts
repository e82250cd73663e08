// `dmap-guard check plan.json`: a `terraform show -json` plan is read like a template, findings name addresses.
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');

describe('check on a Terraform plan', () => {
  it('checks the plan of the corpus Terraform case and names its state machine by address', async () => {
    const result = await runCli([
      'check',
      join(FIXTURES, 'corpus-csv-iterator-applied.json'),
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary.stateMachines).toBeGreaterThan(0);
    for (const finding of report.findings)
      expect(finding.stateMachine).toMatch(/^(module\.[\w-]+\.)*aws_sfn_state_machine\./);
  });

  it('fails a plan whose role lacks a permission, like a template', async () => {
    const result = await runCli(['check', join(FIXTURES, 'state-machine.json'), '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect(report.findings.some((f: { severity: string }) => f.severity === 'error')).toBe(result.code === 1);
  });
});

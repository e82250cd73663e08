// The order of findings in a report: by template, state machine, severity (most severe first), rule, state,
// actions and resources, each text compared by UTF-16 code unit, so it is the same under every locale.
import type { Finding } from '../../lib/checks/types';
import { buildReport } from '../../lib/report/report';
import { findingOf } from '../helpers/finding';

const finding = findingOf;

const order = (findings: Finding[]) => buildReport([], findings, 'error').findings;

describe('report order', () => {
  it('sorts names by code unit (uppercase before lowercase), the same under every locale', () => {
    const states = ['b', 'B', 'a', 'Ä', 'A-1', 'A'].map((state) => finding({ state }));
    expect(order(states).map((f) => f.state)).toEqual(['A', 'A-1', 'B', 'a', 'b', 'Ä']);
  });

  it('puts template and state machine before severity, and severity before rule', () => {
    const findings = [
      finding({ template: 'b.yaml', severity: 'error' }),
      finding({ template: 'a.yaml', stateMachine: 'Second', severity: 'error' }),
      finding({ template: 'a.yaml', stateMachine: 'First', rule: 'a-rule', severity: 'info' }),
      finding({ template: 'a.yaml', stateMachine: 'First', rule: 'z-rule', severity: 'error' }),
    ];
    expect(order(findings).map((f) => `${f.template} ${f.stateMachine} ${f.severity} ${f.rule}`)).toEqual([
      'a.yaml First error z-rule',
      'a.yaml First info a-rule',
      'a.yaml Second error over-broad-grant',
      'b.yaml Machine error over-broad-grant',
    ]);
  });
});

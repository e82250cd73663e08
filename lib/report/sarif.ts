// SARIF 2.1.0 for GitHub code scanning: one rule per registry entry, results with template line numbers.
import { createHash } from 'node:crypto';
import type { RuleMeta } from '../checks/types';
import type { Report } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function renderSarif(report: Report, rules: RuleMeta[], version: string): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dmap-guard',
            version,
            informationUri: 'https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.summary },
              fullDescription: { text: rule.why },
              helpUri: rule.docs,
              help: { text: rule.fix },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { tags: [...rule.tags], messageIds: Object.keys(rule.messages) },
            })),
          },
        },
        // Verdicts per state machine: UNVERIFIED is neither a pass nor a fail, so code scanning shows it as data.
        properties: {
          stateMachines: report.stateMachines.map((m) => ({
            template: m.template,
            stateMachine: m.stateMachine,
            verdict: m.verdict.toUpperCase(),
          })),
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          level: LEVEL[finding.severity],
          message: { text: `${finding.stateMachine}: ${finding.message}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.template.replace(/\\/g, '/') },
                region: {
                  startLine: finding.line ?? 1,
                  ...(finding.column !== undefined ? { startColumn: finding.column } : {}),
                },
              },
              logicalLocations: [{ name: finding.stateMachine, kind: 'resource' }],
            },
          ],
          partialFingerprints: {
            'dmapGuardFinding/v1': createHash('sha256')
              .update(
                [
                  finding.rule,
                  finding.template,
                  finding.stateMachine,
                  finding.state,
                  // Joined lists: the fingerprints of findings from before the lists existed stay the same.
                  finding.actions.join(', '),
                  finding.resources.join(', '),
                ].join('|'),
              )
              .digest('hex'),
          },
          properties: {
            messageId: finding.messageId,
            state: finding.state,
            actions: finding.actions,
            resources: finding.resources,
          },
          ...(finding.suppressed
            ? { suppressions: [{ kind: 'inSource', justification: finding.suppressed.reason }] }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

// SARIF 2.1.0 for GitHub code scanning: one rule per registry entry, results with template line numbers.
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleMeta } from '../checks/types';
import { sha256Hex } from '../model/hash';
import type { Report } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export interface SarifOptions {
  /** Template paths are written relative to this folder (the run's %SRCROOT%). */
  cwd?: string;
  /** Whether a suppressed finding was suppressed outside the template (a config file): `external`, else `inSource`. */
  isExternalSuppression?: (finding: Finding) => boolean;
  /** Stack (CDK construct path) of each template file. */
  stacks?: ReadonlyMap<string, string>;
}

/** A relative URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(file: string, cwd: string | undefined): string {
  const path = cwd !== undefined && isAbsolute(file) ? relative(cwd, file) : file;
  return path.split(sep).join('/').replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/');
}

export function renderSarif(report: Report, rules: RuleMeta[], version: string, options: SarifOptions = {}): string {
  const { cwd } = options;
  // A deployed state machine has no file: its ARN is where the finding is.
  const deployed = (finding: Finding) => finding.line === undefined && finding.stateMachine.startsWith('arn:');
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
        ...(cwd !== undefined
          ? { originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${cwd}${sep}`).href } } }
          : {}),
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
            deployed(finding)
              ? {
                  logicalLocations: [
                    {
                      name: finding.stateMachine.slice(finding.stateMachine.lastIndexOf(':') + 1),
                      fullyQualifiedName: finding.stateMachine,
                      kind: 'resource',
                    },
                  ],
                }
              : {
                  physicalLocation: {
                    artifactLocation: {
                      uri: relativeUri(finding.template, cwd),
                      ...(cwd !== undefined ? { uriBaseId: '%SRCROOT%' } : {}),
                    },
                    region: {
                      startLine: finding.line ?? 1,
                      ...(finding.column !== undefined ? { startColumn: finding.column } : {}),
                    },
                  },
                  logicalLocations: [
                    {
                      name: finding.stateMachine,
                      ...(options.stacks?.has(finding.template)
                        ? { fullyQualifiedName: `${options.stacks.get(finding.template)}/${finding.stateMachine}` }
                        : {}),
                      kind: 'resource',
                    },
                  ],
                },
          ],
          partialFingerprints: {
            'dmapGuardFinding/v1': sha256Hex(
              [
                finding.rule,
                finding.template,
                finding.stateMachine,
                finding.state,
                // Joined lists: the fingerprints of findings from before the lists existed stay the same.
                finding.actions.join(', '),
                finding.resources.join(', '),
              ].join('|'),
            ),
          },
          properties: {
            messageId: finding.messageId,
            state: finding.state,
            actions: finding.actions,
            resources: finding.resources,
          },
          ...(finding.suppressed
            ? {
                suppressions: [
                  {
                    kind: options.isExternalSuppression?.(finding) ? 'external' : 'inSource',
                    justification: finding.suppressed.reason,
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

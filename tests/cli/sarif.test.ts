// SARIF output against the SARIF 2.1.0 schema (the copy @microsoft/jest-sarif ships, from the SARIF SDK),
// validated with ajv (draft-04, as the schema is) and ajv-formats (uri, uri-reference, date-time).
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import schema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { RULES } from '../../lib/checks/registry';
import type { Finding } from '../../lib/checks/types';
import type { Report } from '../../lib/report/report';
import { relativeUri, renderSarif } from '../../lib/report/sarif';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';

// unicodeRegExp off: a pattern in the official schema (language tags) is not valid in unicode mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const expectValid = (sarif: unknown) => {
  validate(sarif);
  expect(validate.errors ?? []).toEqual([]);
};
const fixture = (name: string) => join(FIXTURES, 'check', `${name}.json`);

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 for templates, with in-source and config-file suppressions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmap guard sarif #1-'));
    const template = join(dir, 'my template [v2].json');
    copyFileSync(fixture('start-execution-on-star'), template);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'suppress:\n  - { rule: over-broad-grant, reason: reviewed in SEC-1 }\n');
    const { stdout } = await runCli([
      'check',
      template,
      fixture('suppressed'),
      fixture('missing-start-execution'),
      '--format',
      'sarif',
      '--config',
      config,
    ]);
    const sarif = JSON.parse(stdout);
    expectValid(sarif);
    const results: Array<Record<string, any>> = sarif.runs[0].results;
    const uris = results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain(relativeUri(relative(process.cwd(), template), undefined));
    for (const uri of uris) expect(uri).not.toMatch(/^\/|\\| |\[|#/); // relative, forward slashes, percent-encoded
    expect(results[0]?.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    const suppressionKinds = (file: string) =>
      results
        .filter((r) => decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri).endsWith(file))
        .flatMap((r) => (r.suppressions ?? []).map((s: { kind: string }) => s.kind));
    expect(new Set(suppressionKinds('my template [v2].json'))).toEqual(new Set(['external']));
    expect(suppressionKinds('suppressed.json')).toContain('inSource');
  });

  it('rejects what the schema rejects (a URI with a space)', () => {
    const sarif = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, artifacts: [{ location: { uri: 'a b' } }] }],
    };
    expect(validate(sarif)).toBe(false);
  });

  it('encodes paths as relative URI references', () => {
    expect(relativeUri(join(process.cwd(), 'a b', 'c%d.yaml'), process.cwd())).toBe('a%20b/c%25d.yaml');
    expect(relativeUri('<stdin>', undefined)).toBe('%3Cstdin%3E');
  });

  it('gives audit results the state machine ARN as their logical location (no file)', () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
    const finding: Finding = {
      rule: 'missing-permission',
      severity: 'error',
      template: 'account 123456789012 us-east-1',
      stateMachine: arn,
      state: '$.States.Map',
      messageId: 'notAllowed',
      action: 'states:StartExecution',
      actions: ['states:StartExecution'],
      resource: arn,
      resources: [arn],
      message: 'states:StartExecution is not allowed',
      fix: 'Add it',
    };
    const report: Report = {
      findings: [finding],
      stateMachines: [],
      summary: {
        stateMachines: 1,
        errors: 1,
        unverified: 0,
        warnings: 0,
        infos: 0,
        suppressed: 0,
        failOn: 'error',
        failed: true,
      },
    };
    const sarif = JSON.parse(renderSarif(report, RULES, '1.0.0', { cwd: process.cwd() }));
    expectValid(sarif);
    expect(sarif.runs[0].results[0].locations).toEqual([
      { logicalLocations: [{ name: 'orders', fullyQualifiedName: arn, kind: 'resource' }] },
    ]);
  });
});

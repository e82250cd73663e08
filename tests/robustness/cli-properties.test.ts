// Property-based: `check`, `policy` and `simulate-custom-policy` on arbitrary input within stated limits end with a
// clear result: exit 0/1 with a well-formed report, or exit 2 with one line naming the input; never a stack trace,
// never a crashed rule. How fast they answer is a figure of npm run bench (bench/limits.ts), not a timed test; jest's
// timeout is the bound on a hang.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { RULES } from '../../lib/checks/registry';
import { runCli, type CliRun } from '../helpers/cli';
import { LIMITS, definition, documentText, mutated, policyDocument, template } from './arbitraries';

const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-properties-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function write(text: string, extension: string): string {
  const file = join(dir, `input-${files++}.${extension}`);
  writeFileSync(file, text);
  return file;
}

const RULE_IDS = new Set(RULES.map((rule) => rule.id));
// Each property runs a few hundred commands in process: seconds of work, more while other test files build the CLI
// beside it on a small machine. The bound is for a hang, not a speed goal (those are in npm run bench).
const PROPERTY_TIMEOUT_MS = 60_000;
const SEVERITIES = ['error', 'unverified', 'warning', 'info'];
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** Exit 2 is one line naming the input; any run is free of stack traces. */
function expectClearEnd(run: CliRun, input: string): void {
  expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME);
  expect([0, 1, 2]).toContain(run.code);
  if (run.code !== 2) return;
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dmap-guard: /);
  expect(lines[0]).toContain(input);
}

function expectFinding(finding: Record<string, unknown>): void {
  expect(RULE_IDS.has(String(finding.rule))).toBe(true);
  expect(finding.rule).not.toBe('rule-error'); // a rule that crashed on the input
  expect(SEVERITIES).toContain(finding.severity);
  for (const field of ['messageId', 'template', 'stateMachine', 'state', 'action', 'resource', 'message', 'fix'])
    expect(typeof finding[field]).toBe('string');
  expect(finding.message).not.toBe('');
  expect(Array.isArray(finding.actions) && finding.actions.every((a) => typeof a === 'string')).toBe(true);
  expect(Array.isArray(finding.resources) && finding.resources.every((r) => typeof r === 'string')).toBe(true);
}

describe(`check on arbitrary templates (≤ ${LIMITS.resources} resources, definitions of ≤ ${LIMITS.states} states a level with Distributed Maps nested ≤ ${LIMITS.mapDepth} deep, values nested ≤ ${LIMITS.nesting} levels; JSON or YAML with long- or short-form intrinsics, some cut short)`, () => {
  it(
    'ends with exit 0/1 and a well-formed JSON report, or exit 2 with one line naming the file',
    async () => {
      await fc.assert(
        fc.asyncProperty(documentText(template), async ({ text, extension }) => {
          const file = write(text, extension);
          const run = await runCli(['check', file, '--format', 'json', '--fail-on', 'error']);
          expectClearEnd(run, basename(file));
          if (run.code === 2) return;
          const report = JSON.parse(run.stdout) as {
            findings: Array<Record<string, unknown>>;
            summary: { failed: boolean };
          };
          expect(Array.isArray(report.findings)).toBe(true);
          report.findings.forEach(expectFinding);
          expect(report.summary.failed).toBe(run.code === 1);
        }),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'prints a text report for the same inputs without a stack trace',
    async () => {
      await fc.assert(
        fc.asyncProperty(documentText(template), async ({ text, extension }) => {
          const file = write(text, extension);
          expectClearEnd(await runCli(['check', file]), basename(file));
        }),
        { numRuns: 50 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe(`policy on arbitrary definitions (≤ ${LIMITS.states} states a level, Distributed Maps nested ≤ ${LIMITS.mapDepth} deep, values nested ≤ ${LIMITS.nesting} levels)`, () => {
  it(
    'prints a policy document (exit 0) or one line naming the file (exit 2)',
    async () => {
      const options = fc.record(
        {
          type: fc.constantFrom('STANDARD', 'EXPRESS'),
          kmsKey: fc.constantFrom(
            'orders-input=arn:aws:kms:us-east-1:123456789012:key/k',
            'other-bucket=arn:aws:kms:us-east-1:123456789012:key/o',
          ),
          substitution: fc.constantFrom('Bucket=orders-input', 'A=${B}', '__proto__=x'),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(documentText(definition().chain(mutated)), options, async ({ text, extension }, opts) => {
          const file = write(text, extension);
          const argv = [
            'policy',
            file,
            '--state-machine-arn',
            'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
          ];
          if (opts.type) argv.push('--state-machine-type', opts.type);
          if (opts.kmsKey) argv.push('--kms-key', opts.kmsKey);
          if (opts.substitution) argv.push('--substitution', opts.substitution);
          const run = await runCli(argv);
          expectClearEnd(run, basename(file));
          expect(run.code).not.toBe(1);
          if (run.code === 2) return;
          const policy = JSON.parse(run.stdout) as { Version: string; Statement: Array<Record<string, unknown>> };
          expect(policy.Version).toBe('2012-10-17');
          for (const statement of policy.Statement) {
            expect(statement.Effect).toBe('Allow');
            expect(statement.Action).toBeDefined();
            expect(statement.Resource).toBeDefined();
          }
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe(`simulate-custom-policy on arbitrary policies (≤ ${LIMITS.statements} statements with arbitrary conditions)`, () => {
  const actions = fc.uniqueArray(
    fc.constantFrom('s3:GetObject', 's3:ListBucket', 'states:StartExecution', 'kms:Decrypt', 'lambda:InvokeFunction'),
    { minLength: 1, maxLength: 3 },
  );
  const resources = fc.array(
    fc.constantFrom(
      '*',
      'arn:aws:s3:::orders-input/data/a.csv',
      'arn:aws:states:us-east-1:123456789012:stateMachine:orders',
      'arn:aws:kms:us-east-1:123456789012:key/k',
    ),
    { minLength: 1, maxLength: 3 },
  );
  const context = fc.oneof(
    fc.constant(undefined),
    fc.constant('[{"ContextKeyName":"s3:prefix","ContextKeyValues":["data/"],"ContextKeyType":"string"}]'),
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  );
  it(
    'prints EvaluationResults (exit 0) or one line naming the argument at fault (exit 2)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          policyDocument().chain(mutated),
          fc.option(policyDocument(), { freq: 4 }),
          actions,
          resources,
          context,
          async (policy, boundary, actionNames, resourceArns, contextEntries) => {
            const argv = ['simulate-custom-policy', '--policy-input-list', JSON.stringify(policy) ?? 'null'];
            argv.push('--action-names', ...actionNames, '--resource-arns', ...resourceArns);
            if (boundary !== null)
              argv.push('--permissions-boundary-policy-input-list', JSON.stringify(boundary) ?? 'null');
            if (contextEntries !== undefined) argv.push('--context-entries', contextEntries);
            const run = await runCli(argv);
            expectClearEnd(run, '');
            expect(run.code).not.toBe(1);
            if (run.code === 2) {
              expect(run.stderr).toMatch(
                /policy-input-list|context-entries|Statement|Effect|Action|Resource|Condition|Version|policy/i,
              );
              return;
            }
            const results = JSON.parse(run.stdout).EvaluationResults as Array<Record<string, unknown>>;
            expect(results).toHaveLength(actionNames.length * resourceArns.length);
            for (const result of results)
              expect(['allowed', 'explicitDeny', 'implicitDeny']).toContain(result.EvalDecision);
          },
        ),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

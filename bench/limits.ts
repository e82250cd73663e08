// Bounded cost at the stated limits: the hook on 8,000 Lambda tasks (time to its first answer within the 25 s
// budget), `check` on the largest template it accepts and on a 50 MB one (time and peak RSS), the hook on
// arbitrary events, and `check`, `policy`, `simulate-custom-policy` and the custom resource on the arbitrary inputs
// of tests/robustness (fast-check samples within LIMITS: the slowest answer, and memory).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { MAX_DOCUMENT_BYTES } from '../lib/cfn/load';
import { HOOK_BUDGET_MS } from '../lib/lambda/hook/config';
import { handleHookRequest } from '../lib/lambda/hook/handle';
import { EmbeddedBackend } from '../lib/offline/backend';
import { main } from '../lib/cli/main';
import { answerCustomResource } from '../lib/lambda/custom-resource-answer';
import {
  customResourceEvent,
  definition,
  documentText,
  LIMITS,
  mutated,
  policyDocument,
  template,
} from '../tests/robustness/arbitraries';
import { generatedTemplate, lambdaTasksTemplate } from './generate';

const EVENTS = resolve('events');
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: HOOK_BUDGET_MS };
const status = (r: { hookStatus: string; errorCode?: string }) =>
  `${r.hookStatus}${r.errorCode ? `/${r.errorCode}` : ''}`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** `check` in a child process: wall time, peak RSS (from the child's own resourceUsage at exit) and the exit code. */
function checkRun(dir: string, file: string): { ms: number; rss: number; code: number | null; stderr: string } {
  const preload = join(dir, 'peak-rss.cjs');
  const out = join(dir, 'peak-rss.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS * 1024)));\n`,
  );
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ['--require', preload, resolve('dist/cli.js'), 'check', file, '--format', 'json', '--fail-on', 'never'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    ms,
    rss: Number(readFileSync(out, 'utf8')),
    code: run.status,
    stderr: run.stderr.trim().split('\n').at(-1) ?? '',
  };
}

/** Machines of generatedTemplate that fit in `bytes`. */
function machinesWithin(bytes: number): number {
  const per = generatedTemplate(100).length / 100;
  let machines = Math.floor(bytes / per);
  while (generatedTemplate(machines).length > bytes) machines = Math.floor(machines * 0.98);
  return machines;
}

export async function benchLimits(): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  const stackEvent = JSON.parse(readFileSync(join(EVENTS, 'hook-stack-create.json'), 'utf8'));
  const large = lambdaTasksTemplate(8_000);
  const start = process.hrtime.bigint();
  const { response } = await handleHookRequest(stackEvent, () => new EmbeddedBackend({ stackTemplate: large }), config);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows.push([
    'hook: 8,000 Lambda tasks, first answer',
    `${seconds.toFixed(1)} s (goal: within the ${HOOK_BUDGET_MS / 1000} s budget), ${status(response)}`,
  ]);

  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-limits-'));
  try {
    const machines = machinesWithin(MAX_DOCUMENT_BYTES);
    const accepted = join(dir, 'largest-accepted.json');
    writeFileSync(accepted, generatedTemplate(machines));
    const ok = checkRun(dir, accepted);
    rows.push([
      `check: largest accepted template (${machines} machines, < ${mib(MAX_DOCUMENT_BYTES)} cap)`,
      `${(ok.ms / 1000).toFixed(1)} s, peak RSS ${mib(ok.rss)}, exit ${ok.code} (goal: linear time, RSS ≤ 1 GiB)`,
    ]);
    const huge = join(dir, 'fifty-mb.json');
    writeFileSync(huge, generatedTemplate(machinesWithin(50 * 2 ** 20)));
    const refused = checkRun(dir, huge);
    rows.push([
      'check: 50 MB template (over the cap)',
      `${refused.ms.toFixed(0)} ms, peak RSS ${mib(refused.rss)}, exit ${refused.code}: "${refused.stderr.slice(0, 90)}"`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Arbitrary and mutated events (as in tests/robustness/hook-fuzz.test.ts): the slowest answer of many.
  const seeds = ['hook-statemachine-create.json', 'hook-stack-create.json', 'hook-policy-update-breaks-map.json'].map(
    (f) => JSON.parse(readFileSync(join(EVENTS, f), 'utf8')) as Record<string, unknown>,
  );
  const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
  const events = [
    ...fc.sample(fc.anything(), { numRuns: 200, seed: 16 }),
    ...fc.sample(
      fc.tuple(fc.constantFrom(...seeds), fc.string(), fc.anything()).map(([seed, key, value]) => ({
        ...seed,
        requestData: { ...(seed.requestData as object), [key]: value },
      })),
      { numRuns: 200, seed: 16 },
    ),
  ];
  let slowest = 0;
  const statuses = new Map<string, number>();
  for (const event of events) {
    const begin = process.hrtime.bigint();
    const answer = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate }), config);
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - begin) / 1e6);
    statuses.set(status(answer.response), (statuses.get(status(answer.response)) ?? 0) + 1);
  }
  rows.push([
    `hook: ${events.length} arbitrary events (fast-check)`,
    `slowest answer ${slowest.toFixed(0)} ms (goal ≤ 1 s); ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}`,
  ]);
  rows.push(...(await benchArbitraryInputs()));
  return rows;
}

const SAMPLES = 300;

interface Sampled {
  slowestMs: number;
  /** Highest heap in use and RSS seen after a run (in-process), over what they were before the first. */
  heapMiB: number;
  rssMiB: number;
  /** How runs ended ("exit 0", "SUCCESS", …) and how often. */
  outcomes: Map<string, number>;
}

/** Run each sample in this process: the slowest run and the highest memory after one. */
async function overSamples<T>(samples: T[], run: (sample: T) => Promise<string>): Promise<Sampled> {
  // Once untimed: loading the modules and the IAM catalogue is not an answer's cost.
  if (samples[0] !== undefined) await run(samples[0]);
  const before = process.memoryUsage();
  let slowestMs = 0;
  let heap = 0;
  let rss = 0;
  const outcomes = new Map<string, number>();
  for (const sample of samples) {
    const begin = process.hrtime.bigint();
    const outcome = await run(sample);
    slowestMs = Math.max(slowestMs, Number(process.hrtime.bigint() - begin) / 1e6);
    const after = process.memoryUsage();
    heap = Math.max(heap, after.heapUsed);
    rss = Math.max(rss, after.rss);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return {
    slowestMs,
    heapMiB: Math.max(0, heap - before.heapUsed) / 2 ** 20,
    rssMiB: Math.max(0, rss - before.rss) / 2 ** 20,
    outcomes,
  };
}

function sampledRow(result: Sampled, goalMs: number): string {
  const outcomes = [...result.outcomes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  return (
    `slowest ${result.slowestMs.toFixed(0)} ms (goal ≤ ${goalMs.toLocaleString('en-US')} ms), ` +
    `heap +${result.heapMiB.toFixed(0)} MiB, RSS +${result.rssMiB.toFixed(0)} MiB (goal ≤ 512 MiB); ${outcomes}`
  );
}

/** The CLI in this process, its output discarded: the exit code. */
async function cli(argv: string[]): Promise<string> {
  const code = await main(argv, { out: () => undefined, err: () => undefined });
  return `exit ${code}`;
}

export async function benchArbitraryInputs(): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-arbitrary-'));
  try {
    let files = 0;
    const write = ({ text, extension }: { text: string; extension: string }) => {
      const file = join(dir, `input-${files++}.${extension}`);
      writeFileSync(file, text);
      return file;
    };
    const templates = fc.sample(documentText(template), { numRuns: SAMPLES, seed: 16 }).map(write);
    rows.push([
      `check: ${SAMPLES} arbitrary templates (≤ ${LIMITS.resources} resources)`,
      sampledRow(await overSamples(templates, (file) => cli(['check', file, '--format', 'json'])), 1_000),
    ]);
    const definitions = fc.sample(documentText(definition().chain(mutated)), { numRuns: SAMPLES, seed: 16 }).map(write);
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
    rows.push([
      `policy: ${SAMPLES} arbitrary definitions (Maps ≤ ${LIMITS.mapDepth} deep)`,
      sampledRow(await overSamples(definitions, (file) => cli(['policy', file, '--state-machine-arn', arn])), 500),
    ]);
    const policies = fc.sample(policyDocument().chain(mutated), { numRuns: SAMPLES, seed: 16 });
    const simulate = (policy: unknown) =>
      cli([
        'simulate-custom-policy',
        '--policy-input-list',
        JSON.stringify(policy) ?? 'null',
        '--action-names',
        's3:GetObject',
        'kms:Decrypt',
        '--resource-arns',
        'arn:aws:s3:::orders-input/data/a.csv',
        'arn:aws:kms:us-east-1:123456789012:key/k',
      ]);
    rows.push([
      `simulate-custom-policy: ${SAMPLES} arbitrary policies (≤ ${LIMITS.statements} statements)`,
      sampledRow(await overSamples(policies, simulate), 500),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const events = fc.sample(customResourceEvent, { numRuns: SAMPLES, seed: 16 });
  const times = { budgetMs: 25_000, putAttemptMs: 1_500, putAttempts: 3, putBackoffMs: 250 };
  const answer = async (event: unknown) => {
    let sent = 0;
    const outcome = await answerCustomResource(
      event,
      () => new EmbeddedBackend(),
      async () => (sent++, 200),
      times,
    );
    return outcome.answered ? `${outcome.response.Status} (${sent} PUT)` : `not answered (${sent} PUT)`;
  };
  rows.push([`custom resource: ${SAMPLES} arbitrary events`, sampledRow(await overSamples(events, answer), 1_000)]);
  return rows;
}

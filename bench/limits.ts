// Bounded cost at the stated limits: the hook on 8,000 Lambda tasks (time to its first answer within the 25 s
// budget), `check` on the largest template it accepts and on a 50 MB one (time and peak RSS), and the hook on
// arbitrary events (fast-check samples: the slowest answer).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { MAX_DOCUMENT_BYTES } from '../lib/cfn/load';
import { HOOK_BUDGET_MS } from '../lib/lambda/hook/config';
import { handleHookRequest } from '../lib/lambda/hook/handle';
import { EmbeddedBackend } from '../lib/offline/backend';
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
  return rows;
}

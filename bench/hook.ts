// The hook: latency per event with a simulated 100 ms IAM latency, SimulatePrincipalPolicy calls per verdict,
// bundle size and cold-start import time of the hook bundle.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handleHookRequest } from '../lib/lambda/hook/handle';
import { startIamStub, StubbedIamBackend, stubClient } from '../tests/helpers/iam-stub';
import { median, sideBySide } from './measure';

const EVENTS = resolve('events');

export async function benchHook(): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  const stub = await startIamStub();
  stub.latencyMs = 100;
  const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
  try {
    for (const file of readdirSync(EVENTS).filter((f) => f.startsWith('hook-statemachine-create'))) {
      const event = JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));
      const backends: StubbedIamBackend[] = [];
      const client = stubClient(stub);
      const times: number[] = [];
      let status = '';
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        const { response } = await handleHookRequest(
          event,
          (signal) => {
            const backend = new StubbedIamBackend(client, { stackTemplate }, signal);
            backends.push(backend);
            return backend;
          },
          { failOn: 'error', onError: 'fail', budgetMs: 25_000 },
        );
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        status = `${response.hookStatus}${response.errorCode ? `/${response.errorCode}` : ''}`;
      }
      const calls = (backends.at(-1)?.simulators ?? []).reduce((n, s) => n + s.calls, 0);
      rows.push([
        `hook: ${file.replace(/\.json$/, '')}`,
        `${median(times).toFixed(0)} ms median with 100 ms IAM latency, ${calls} SimulatePrincipalPolicy call(s) per verdict (goal ≤ 3); ${status} from a stub IAM that allows all`,
      ]);
    }
  } finally {
    await stub.close();
  }
  const bundle = resolve('dist/functions/hook/index.js');
  rows.push(['hook bundle size', `${(statSync(bundle).size / 1024).toFixed(0)} KiB (goal ≤ 1024 KiB)`]);
  const node = (code: string) => () => {
    spawnSync(process.execPath, ['-e', code], { stdio: 'ignore' });
  };
  const { a: bare, b: loaded } = sideBySide(node('0'), node(`require(${JSON.stringify(bundle)})`), {
    runs: 7,
    warmUp: false,
  });
  const ms = (seconds: number | undefined) => (seconds ?? NaN) * 1000;
  rows.push([
    'hook cold-start import',
    `${(ms(loaded) - ms(bare)).toFixed(0)} ms beyond a bare node start (${ms(loaded).toFixed(0)} ms vs ${ms(bare).toFixed(0)} ms, side by side)`,
  ]);
  // Why template.yaml runs the functions without --enable-source-maps: its cost at import, side by side.
  const load = (flags: string[]) => () => {
    spawnSync(process.execPath, [...flags, '-e', `require(${JSON.stringify(bundle)})`], { stdio: 'ignore' });
  };
  const maps = sideBySide(load([]), load(['--enable-source-maps']), { runs: 7, warmUp: false });
  const rss = (flags: string[]) =>
    Number(
      spawnSync(
        process.execPath,
        [...flags, '-e', `require(${JSON.stringify(bundle)}); process.stdout.write(String(process.memoryUsage().rss))`],
        { encoding: 'utf8' },
      ).stdout,
    );
  rows.push([
    'hook import with --enable-source-maps',
    `+${(ms(maps.b) - ms(maps.a)).toFixed(0)} ms (${maps.ratio === undefined ? 'n/a' : ((maps.ratio - 1) * 100).toFixed(0)}%), +${((rss(['--enable-source-maps']) - rss([])) / 2 ** 20).toFixed(0)} MiB RSS: off in template.yaml`,
  ]);
  return rows;
}

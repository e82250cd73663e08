// The hook: latency per event with a simulated 100 ms IAM latency, SimulatePrincipalPolicy calls per verdict,
// bundle size and cold-start import time of the hook bundle.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handleHookRequest } from '../lib/lambda/hook/handle';
import { startIamStub, StubbedIamBackend, stubClient } from '../tests/helpers/iam-stub';
import { median, sideBySide } from './measure';

/** dist/functions/hook/index.js in bytes at the commit before the integration table and catalogue. */
const HOOK_BUNDLE_BEFORE_INTEGRATIONS = 799_353;

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
  const size = statSync(bundle).size;
  rows.push([
    'hook bundle size before/after',
    `${(HOOK_BUNDLE_BEFORE_INTEGRATIONS / 1024).toFixed(0)} KiB before the integration table and IAM catalogue, ${(size / 1024).toFixed(0)} KiB now (+${((size - HOOK_BUNDLE_BEFORE_INTEGRATIONS) / 1024).toFixed(0)} KiB; the catalogue data stays out of it; goal ≤ 1024 KiB)`,
  ]);
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
  return rows;
}

// The hook: latency per event with a simulated 100 ms IAM latency, SimulatePrincipalPolicy calls per verdict,
// bundle size and cold-start import time of the hook bundle.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handleHookRequest } from '../lib/lambda/hook/handle';
import { SIMULATIONS_IN_FLIGHT } from '../lib/aws/simulate';
import { startIamStub, StubbedIamBackend, stubClient, type IamStub } from '../tests/helpers/iam-stub';
import { median, sideBySide, sideBySideAsync } from './measure';

/** dist/functions/hook/index.js in bytes at the commit before the integration table and catalogue. */
const HOOK_BUNDLE_BEFORE_INTEGRATIONS = 799_353;

const EVENTS = resolve('events');
const ACCOUNT = '123456789012';

/**
 * A hook event for one state machine whose verdict needs many request contexts: 10 Distributed Maps, each reading
 * its own ItemReader prefix and writing results to its own bucket, and 20 Lambda tasks.
 */
function wideEvent(): unknown {
  const states: Record<string, unknown> = {};
  const lambdas = Array.from({ length: 20 }, (_, i) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:step-${i}`);
  lambdas.forEach((arn, i) => {
    states[`Task${i}`] = { Type: 'Task', Resource: arn, Next: i === lambdas.length - 1 ? 'Map0' : `Task${i + 1}` };
  });
  for (let i = 0; i < 10; i++)
    states[`Map${i}`] = {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: `wide-input-${ACCOUNT}`, Prefix: `batch-${i}/` },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'Done',
        States: { Done: { Type: 'Pass', End: true } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: `wide-results-${i}-${ACCOUNT}`, Prefix: 'runs' },
      },
      ...(i < 9 ? { Next: `Map${i + 1}` } : { End: true }),
    };
  const event = JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create.json'), 'utf8'));
  event.requestData.targetLogicalId = 'WideMachine';
  event.requestData.targetModel.resourceProperties = {
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/wide-role`,
    DefinitionString: JSON.stringify({ StartAt: 'Task0', States: states }),
  };
  return event;
}

/** The wide verdict with calls one at a time (as before issue 16 item 10) beside calls 8 at a time. */
async function benchWideVerdict(stub: IamStub): Promise<Array<[string, string]>> {
  const event = wideEvent();
  const client = stubClient(stub);
  const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 25_000 };
  const calls = { serial: 0, concurrent: 0 };
  let status = '';
  const verdict = (concurrency: number | undefined, side: keyof typeof calls) => async () => {
    let backend: StubbedIamBackend | undefined;
    const { response } = await handleHookRequest(
      event,
      (signal) =>
        (backend = new StubbedIamBackend(client, {}, signal, concurrency === undefined ? {} : { concurrency })),
      config,
    );
    calls[side] = (backend?.simulators ?? []).reduce((n, s) => n + s.calls, 0);
    status = `${response.hookStatus}${response.errorCode ? `/${response.errorCode}` : ''}`;
  };
  const { a, b } = await sideBySideAsync(verdict(1, 'serial'), verdict(undefined, 'concurrent'), {
    runs: 5,
    warmUp: true,
  });
  const steady = status;
  // The first two calls are throttled: the SDK retries them with backoff, beside the calls still running.
  stub.fault = 'throttle-twice';
  stub.requests = 0;
  const start = process.hrtime.bigint();
  await verdict(undefined, 'concurrent')();
  const throttled = Number(process.hrtime.bigint() - start) / 1e9;
  stub.fault = 'none';
  return [
    [
      'hook: wide verdict, calls 1 at a time (before)',
      `${a.toFixed(2)} s median, ${calls.serial} SimulatePrincipalPolicy calls (10 ItemReader prefixes + 10 writers + 20 Lambdas, 100 ms IAM latency)`,
    ],
    [
      `hook: wide verdict, ${SIMULATIONS_IN_FLIGHT} calls in flight`,
      `${b.toFixed(2)} s median, ${calls.concurrent} calls (goal ≤ 0.5 s at 100 ms IAM latency); ${steady}, side by side`,
    ],
    [
      'hook: wide verdict, first 2 calls throttled',
      `${throttled.toFixed(2)} s, ${stub.requests} requests for ${calls.concurrent} calls (the SDK retried); ${status}`,
    ],
  ];
}

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
    rows.push(...(await benchWideVerdict(stub)));
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

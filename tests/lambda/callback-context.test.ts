// callbackContext carries ids and counts, never finding texts; what comes back is validated (issue 14 point 5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callbackContextOf, readCallbackContext } from '../../lib/lambda/hook/callback';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };
const TOKEN = 'token-1';

describe('readCallbackContext', () => {
  const counts = { error: 1, warning: 0, info: 2 };

  it('reads back what callbackContextOf wrote, for the same request', () => {
    const written = callbackContextOf(TOKEN, new Map([['constructor', counts]]));
    expect(JSON.stringify(written)).toBe('{"v":1,"token":"token-1","done":[["constructor",1,0,2]]}');
    expect(readCallbackContext(JSON.parse(JSON.stringify(written)), TOKEN)).toEqual(new Map([['constructor', counts]]));
  });

  it.each([
    ['null', null],
    ['another request', { v: 1, token: 'token-2', done: [['M', 0, 0, 0]] }],
    ['another version', { v: 2, token: TOKEN, done: [['M', 0, 0, 0]] }],
    ['the old shape with finding texts', { done: { M: [{ rule: 'missing-permission', message: 'x' }] } }],
    ['a negative count', { v: 1, token: TOKEN, done: [['M', -1, 0, 0]] }],
    ['a fractional count', { v: 1, token: TOKEN, done: [['M', 0.5, 0, 0]] }],
    ['a count as text', { v: 1, token: TOKEN, done: [['M', '0', 0, 0]] }],
    ['an id that is not text', { v: 1, token: TOKEN, done: [[{}, 0, 0, 0]] }],
    ['an empty id', { v: 1, token: TOKEN, done: [['', 0, 0, 0]] }],
    ['an over-long id', { v: 1, token: TOKEN, done: [['M'.repeat(256), 0, 0, 0]] }],
    ['extra entry fields', { v: 1, token: TOKEN, done: [['M', 0, 0, 0, 'more']] }],
    ['too many units', { v: 1, token: TOKEN, done: Array.from({ length: 501 }, (_, i) => [`M${i}`, 0, 0, 0]) }],
    ['one bad entry among good ones', { v: 1, token: TOKEN, done: [['A', 0, 0, 0], ['B']] }],
  ])('ignores %s', (_label, value) => {
    expect(readCallbackContext(value, TOKEN).size).toBe(0);
  });
});

describe('the hook across invocations', () => {
  const request = () => JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create-noncompliant.json'), 'utf8'));

  it('skips a unit an earlier invocation found clean', async () => {
    const event = request();
    event.requestContext = {
      invocation: 2,
      callbackContext: callbackContextOf(
        event.clientRequestToken,
        new Map([['OrdersMachine', { error: 0, warning: 0, info: 0 }]]),
      ),
    };
    const backend = new EmbeddedBackend({ stackTemplate });
    const { response } = await handleHookRequest(event, () => backend, config);
    expectContract(response, event.clientRequestToken);
    // The machine is not re-run, so its (non-compliant) findings are not computed again.
    expect(response.hookStatus).toBe('SUCCESS');
  });

  it('re-runs a unit that had findings, so the final answer has their texts', async () => {
    const event = request();
    event.requestContext = {
      invocation: 2,
      callbackContext: callbackContextOf(
        event.clientRequestToken,
        new Map([['OrdersMachine', { error: 1, warning: 0, info: 0 }]]),
      ),
    };
    const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate }), config);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).toMatch(/s3:PutObject/);
  });

  it('ignores a tampered context (another token, the old shape) and checks everything', async () => {
    for (const callbackContext of [
      callbackContextOf('another-token', new Map([['OrdersMachine', { error: 0, warning: 0, info: 0 }]])),
      { done: { OrdersMachine: [] } },
      { done: { OrdersMachine: 'not findings' } },
    ]) {
      const event = request();
      event.requestContext = { invocation: 2, callbackContext };
      const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate }), config);
      expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    }
  });

  it('carries counts, not finding texts, in IN_PROGRESS', async () => {
    const event = JSON.parse(readFileSync(join(EVENTS, 'hook-stack-create.json'), 'utf8'));
    const template = stackTemplate.concat(
      stackTemplate
        .slice(stackTemplate.indexOf('  OrdersMachine:'), stackTemplate.indexOf('  DistributedMapPolicy:'))
        .replace('  OrdersMachine:', '  SecondMachine:')
        // Its own role: machines sharing a role are one unit of work.
        .replace('!GetAtt OrdersRole.Arn', 'arn:aws:iam::123456789012:role/second-role'),
    );
    const backend = new EmbeddedBackend({ stackTemplate: template });
    let calls = 0;
    const bucketKey = backend.bucketKey.bind(backend);
    // The second machine stalls: the first is done when the budget runs out.
    backend.bucketKey = (bucket: string) => (++calls > 1 ? new Promise(() => undefined) : bucketKey(bucket));
    const { response } = await handleHookRequest(event, () => backend, { ...config, budgetMs: 300 });
    expect(response.hookStatus).toBe('IN_PROGRESS');
    expect(response.callbackContext).toEqual({
      v: 1,
      token: event.clientRequestToken,
      done: [['OrdersMachine', 0, 0, 0]],
    });
  });
});

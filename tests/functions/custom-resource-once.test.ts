// The custom resource handler PUTs one response per invocation, whatever happens, and never throws.
// CloudFormation invokes it asynchronously (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudformation.html)
// and Lambda runs an asynchronous invocation that returned an error or timed out up to twice more
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html): an invocation that throws
// is checked again and may answer a second, different response.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/custom-resource/handler';

const EVENTS = join(__dirname, '..', '..', 'events');
const event = (name: string): Record<string, any> => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));
const sfn = mockClient(SFNClient);

type Put = { url: string; body: string };
/** fetch answering each PUT with the next status (the last one repeats), recording what was sent. */
function responses(...statuses: Array<number | Error>): Put[] {
  const puts: Put[] = [];
  let call = 0;
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (url, init) => {
    puts.push({ url: String(url), body: String(init?.body) });
    const status = statuses[Math.min(call++, statuses.length - 1)] as number | Error;
    if (status instanceof Error) throw status;
    return new Response('', { status });
  });
  return puts;
}

afterEach(() => {
  jest.restoreAllMocks();
  sfn.reset();
});

describe('custom resource handler: one response per invocation', () => {
  it('a Delete is one SUCCESS PUT', async () => {
    const puts = responses(200);
    await handler(event('custom-resource-delete.json'));
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]!.body)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('a check that throws is one FAILED PUT naming the error', async () => {
    sfn.on(DescribeStateMachineCommand).rejects(new Error('socket hang up'));
    const puts = responses(200);
    await handler(event('custom-resource-create.json'));
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]!.body)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('socket') });
  });

  it('a check that never ends (a call deaf to the abort signal) is one FAILED PUT when the budget runs out', async () => {
    sfn.on(DescribeStateMachineCommand).callsFake(() => new Promise(() => undefined));
    const puts = responses(200);
    // 6 s left: the check gets the minimum budget (1 s), the rest is kept for the PUT.
    await handler(event('custom-resource-create.json'), { getRemainingTimeInMillis: () => 6_000 });
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]!.body)).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/time/) });
  });

  it('a PUT that fails (HTTP 500, then a network error) is retried with the same body, a bounded number of times, and the handler does not throw', async () => {
    const puts = responses(500, new TypeError('fetch failed'), 500, 500, 500, 500);
    await expect(handler(event('custom-resource-delete.json'))).resolves.toBeUndefined();
    expect(puts.length).toBeGreaterThan(1);
    expect(puts.length).toBeLessThanOrEqual(3);
    expect(new Set(puts.map((p) => p.body)).size).toBe(1);
  });

  it('a PUT refused for good (HTTP 403: the presigned URL expired) is not retried, and the handler does not throw', async () => {
    const puts = responses(403, 200);
    await expect(handler(event('custom-resource-delete.json'))).resolves.toBeUndefined();
    expect(puts).toHaveLength(1);
  });

  it('a PUT that succeeds after one failure stops there', async () => {
    const puts = responses(503, 200, 200);
    await handler(event('custom-resource-delete.json'));
    expect(puts).toHaveLength(2);
    expect(puts[0]!.body).toBe(puts[1]!.body);
  });

  it.each([
    ['no ResponseURL', { ResponseURL: undefined }],
    ['a ResponseURL that is not a string', { ResponseURL: 42 }],
    ['a ResponseURL that is not an https presigned S3 URL', { ResponseURL: 'http://169.254.169.254/latest' }],
    ['no RequestId', { RequestId: undefined }],
    ['a StackId that is not a string', { StackId: { Ref: 'AWS::StackId' } }],
  ])('an event with %s is logged and not answered, without throwing', async (_name, change) => {
    const puts = responses(200);
    const malformed = { ...event('custom-resource-create.json'), ...change };
    await expect(handler(malformed)).resolves.toBeUndefined();
    expect(puts).toHaveLength(0);
  });

  it('a RequestType that is not Create, Update or Delete is one FAILED PUT saying so (not checked as a Create)', async () => {
    const puts = responses(200);
    await handler({ ...event('custom-resource-create.json'), RequestType: 'Replace' });
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]!.body)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('Replace') });
    expect(sfn.calls()).toHaveLength(0);
  });

  it('two invocations running at once in one process each PUT their own one response to their own URL', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    sfn.on(DescribeStateMachineCommand).callsFake(async () => {
      await held;
      throw new Error('state machine gone');
    });
    const puts = responses(200);
    const create: Record<string, any> = { ...event('custom-resource-create.json'), ResponseURL: urlFor('create') };
    const remove: Record<string, any> = { ...event('custom-resource-delete.json'), ResponseURL: urlFor('delete') };
    const both = Promise.all([handler(create), handler(remove)]);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await both;
    expect(puts).toHaveLength(2);
    const byUrl = new Map(puts.map((p) => [p.url, JSON.parse(p.body) as Record<string, unknown>]));
    expect(byUrl.get(urlFor('create'))).toMatchObject({ Status: 'FAILED', RequestId: create.RequestId });
    expect(byUrl.get(urlFor('delete'))).toMatchObject({ Status: 'SUCCESS', RequestId: remove.RequestId });
  });
});

function urlFor(name: string): string {
  return `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/${name}?X-Amz-Signature=1`;
}

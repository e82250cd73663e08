// Property-based: the custom resource on arbitrary events (CloudFormation's field sizes, arbitrary properties and
// definitions, mutated fields, events CloudFormation never sends) answers with one contract-valid response, or, when
// the event lacks what a response must echo, with none; two events in one process never share an answer.
// Contract: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
import fc from 'fast-check';
import { answerCustomResource, type PutResponse } from '../../lib/lambda/custom-resource-answer';
import { isResponseUrl, MAX_RESPONSE_BYTES } from '../../lib/lambda/custom-resource';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { customResourceEvent, LIMITS } from './arbitraries';

const times = { budgetMs: 5_000, putAttemptMs: 1_000, putAttempts: 3, putBackoffMs: 1 };
const RESPONSE_FIELDS = new Set([
  'Status',
  'Reason',
  'PhysicalResourceId',
  'StackId',
  'RequestId',
  'LogicalResourceId',
  'NoEcho',
  'Data',
]);
const IDS = ['StackId', 'RequestId', 'LogicalResourceId'];

/** What a response must echo is there: a presigned https S3 ResponseURL and the three ids, as strings. */
function answerable(event: unknown): event is Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const record = event as Record<string, unknown>;
  return (
    typeof record.ResponseURL === 'string' &&
    isResponseUrl(record.ResponseURL) &&
    IDS.every((id) => typeof record[id] === 'string' && record[id] !== '')
  );
}

/**
 * The ids CloudFormation sends fit a 4 KB body: a LogicalResourceId has at most 255 characters, a RequestId is a
 * UUID and a StackId an ARN (the arbitrary keeps them ≤ 256). An event with longer ids (a mutation) still gets its
 * one response, but no body that echoes them can fit.
 */
function withinSizes(event: Record<string, unknown>): boolean {
  return IDS.every((id) => Buffer.byteLength(String(event[id])) <= 256);
}

function expectContract(event: Record<string, unknown>, body: string): void {
  if (withinSizes(event)) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  const response = JSON.parse(body) as Record<string, unknown>;
  for (const field of Object.keys(response)) expect(RESPONSE_FIELDS.has(field)).toBe(true);
  expect(['SUCCESS', 'FAILED']).toContain(response.Status);
  if (response.Status === 'FAILED') expect(typeof response.Reason === 'string' && response.Reason !== '').toBe(true);
  if (event.RequestType === 'Delete') expect(response.Status).toBe('SUCCESS');
  for (const id of IDS) expect(response[id]).toBe(event[id]);
  const physical = response.PhysicalResourceId;
  expect(typeof physical === 'string' && physical !== '' && Buffer.byteLength(physical) <= 1024).toBe(true);
  const given = event.PhysicalResourceId;
  if (typeof given === 'string' && given !== '' && Buffer.byteLength(given) <= 1024) expect(physical).toBe(given);
  if (response.Data !== undefined)
    expect(Object.values(response.Data as object).every((value) => typeof value === 'string')).toBe(true);
}

/** A PUT that records what reached each URL. */
function recorder(): { put: PutResponse; bodies: Map<string, string[]> } {
  const bodies = new Map<string, string[]>();
  const put: PutResponse = async (url, body) => {
    bodies.set(url, [...(bodies.get(url) ?? []), body]);
    return 200;
  };
  return { put, bodies };
}

/** The event with its own ResponseURL (so two events' answers can be told apart), when it has a valid one. */
function ownUrl(event: unknown, tag: string): unknown {
  if (!answerable(event)) return event;
  return { ...event, ResponseURL: `${event.ResponseURL as string}&case=${tag}` };
}

describe(`custom resource on arbitrary events (ids ≤ 256 characters, definitions of ≤ ${LIMITS.states} states a level, Maps nested ≤ ${LIMITS.mapDepth} deep)`, () => {
  it('PUTs exactly one contract-valid response, or none (logged) when the event lacks what a response echoes', async () => {
    await fc.assert(
      fc.asyncProperty(customResourceEvent, async (event) => {
        const { put, bodies } = recorder();
        const answer = await answerCustomResource(event, () => new EmbeddedBackend(), put, times);
        const sent = [...bodies.values()].flat();
        if (!answerable(event)) {
          expect(answer.answered).toBe(false);
          expect(sent).toHaveLength(0);
          return;
        }
        expect(sent).toHaveLength(1);
        expectContract(event, sent[0] as string);
      }),
      { numRuns: 300 },
    );
  });

  it('two events answered at once in one process each get their own one response', async () => {
    await fc.assert(
      fc.asyncProperty(customResourceEvent, customResourceEvent, async (first, second) => {
        const { put, bodies } = recorder();
        const events = [ownUrl(first, 'a'), ownUrl(second, 'b')];
        await Promise.all(events.map((event) => answerCustomResource(event, () => new EmbeddedBackend(), put, times)));
        for (const event of events) {
          if (!answerable(event)) continue;
          const sent = bodies.get(event.ResponseURL as string) ?? [];
          expect(sent).toHaveLength(1);
          expectContract(event, sent[0] as string);
        }
      }),
      { numRuns: 100 },
    );
  });
});

// answerCustomResource: one response per invocation, PUT as the same body however often it is retried; a late check
// result or a late PUT never becomes a second answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerCustomResource, type PutResponse } from '../../lib/lambda/custom-resource-answer';
import { EmbeddedBackend } from '../../lib/offline/backend';
import type { DeployedStateMachine } from '../../lib/ports/backend';

const EVENTS = join(__dirname, '..', '..', 'events');
const event = (name: string): Record<string, any> => JSON.parse(readFileSync(join(EVENTS, name), 'utf8'));
// A budget far above what a check takes, even on a loaded machine; the test of a late check sets a short one.
const times = { budgetMs: 30_000, putAttemptMs: 50, putAttempts: 3, putBackoffMs: 5 };

/** A backend whose state machine is described after `ms` (a Pass machine the role need not grant anything for). */
class SlowBackend extends EmbeddedBackend {
  described = 0;
  constructor(private readonly ms: number) {
    super();
  }
  override async describeStateMachine(arn: string): Promise<DeployedStateMachine> {
    await sleep(this.ms);
    this.described++;
    const definition = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}';
    return {
      arn,
      name: 'orders',
      type: 'STANDARD',
      definition,
      roleArn: 'arn:aws:iam::1:role/r',
      logging: false,
      tracing: false,
    };
  }
}

/** A PUT that answers each call with the next behaviour (the last one repeats). */
function putter(...behaviours: Array<number | 'hang' | Error>): { put: PutResponse; bodies: string[] } {
  const bodies: string[] = [];
  const put: PutResponse = async (_url, body, signal) => {
    const behaviour = behaviours[Math.min(bodies.length, behaviours.length - 1)] as number | 'hang' | Error;
    bodies.push(body);
    if (behaviour === 'hang') return new Promise<never>(() => undefined); // deaf to the signal, like a stuck socket
    if (behaviour instanceof Error) throw behaviour;
    signal.throwIfAborted();
    return behaviour;
  };
  return { put, bodies };
}

describe('answerCustomResource', () => {
  it('a PUT that never answers is given up after its time, retried as the same body, at most putAttempts times', async () => {
    const { put, bodies } = putter('hang');
    const answer = await answerCustomResource(
      event('custom-resource-delete.json'),
      () => new SlowBackend(0),
      put,
      times,
    );
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(answer).toMatchObject({
      answered: true,
      delivered: false,
      putFailures: expect.arrayContaining([expect.stringMatching(/no answer within 50 ms/)]),
    });
  });

  it('a PUT that times out and then succeeds sends the same body twice and stops (S3 keeps one object: the same answer)', async () => {
    const { put, bodies } = putter('hang', 200);
    const answer = await answerCustomResource(
      event('custom-resource-delete.json'),
      () => new SlowBackend(0),
      put,
      times,
    );
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    expect(answer).toMatchObject({ answered: true, delivered: true });
  });

  it('a check that finishes after the budget changes nothing: one FAILED PUT, nothing more once the check ends', async () => {
    const backend = new SlowBackend(400);
    const { put, bodies } = putter(200);
    const answer = await answerCustomResource(event('custom-resource-create.json'), () => backend, put, {
      ...times,
      budgetMs: 200,
    });
    expect(answer).toMatchObject({
      answered: true,
      response: { Status: 'FAILED', Reason: expect.stringMatching(/ran out of time \(0\.2 s\)/) },
    });
    await sleep(400);
    expect(backend.described).toBe(1); // the late check did end …
    expect(bodies).toHaveLength(1); // … and answered nothing
  });

  it('a check within the budget answers its verdict (UNVERIFIED: the role is not in the empty snapshot; FailOn error)', async () => {
    const { put, bodies } = putter(200);
    await answerCustomResource(event('custom-resource-create.json'), () => new SlowBackend(0), put, times);
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ Status: 'SUCCESS', Data: { Verdict: 'UNVERIFIED' } });
  });

  it.each([
    ['an empty PhysicalResourceId', ''],
    ['a PhysicalResourceId that is not a string', { id: 1 }],
    ['a PhysicalResourceId over 1 KB', 'p'.repeat(1025)],
  ])('an Update with %s answers the stable id dmap-guard gives', async (_name, physicalId) => {
    const { put, bodies } = putter(200);
    const update = { ...event('custom-resource-update.json'), PhysicalResourceId: physicalId };
    await answerCustomResource(update, () => new SlowBackend(0), put, times);
    expect(JSON.parse(bodies[0] as string).PhysicalResourceId).toBe('dmap-guard-PermissionCheck');
  });

  it('the PhysicalResourceId dmap-guard gives stays within 1 KB, in whole characters, even for a LogicalResourceId longer than CloudFormation allows (found by tests/robustness/custom-resource-fuzz)', async () => {
    const { put, bodies } = putter(200);
    const create = { ...event('custom-resource-create.json'), LogicalResourceId: '€'.repeat(2_000) };
    await answerCustomResource(create, () => new SlowBackend(0), put, times);
    const physical = JSON.parse(bodies[0] as string).PhysicalResourceId as string;
    expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(1024);
    expect(physical).toMatch(/^dmap-guard-€+$/);
  });
});

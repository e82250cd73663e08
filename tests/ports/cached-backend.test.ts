// CachedBackend: each distinct read once per instance, identical reads in flight share one call.
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { CachedBackend } from '../../lib/ports/cached-backend';
import type { Backend, DeployedStateMachine } from '../../lib/ports/backend';

/** A backend whose reads are counted and answer after a tick, so concurrent reads overlap. */
class CountingBackend implements Backend {
  readonly calls: string[] = [];
  private async count<T>(call: string, answer: T): Promise<T> {
    this.calls.push(call);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return answer;
  }
  readRole(arn: string) {
    return this.count(`readRole ${arn}`, { arn, identityPolicies: [], unknown: [] });
  }
  bucketKey(bucket: string) {
    return this.count(`bucketKey ${bucket}`, bucket === 'none' ? undefined : `key-of-${bucket}`);
  }
  objectText(bucket: string, key: string, version?: string) {
    return this.count(`objectText ${bucket} ${key} ${version}`, `${bucket}/${key}@${version}`);
  }
  describeStateMachine(arn: string) {
    if (arn === 'broken') {
      this.calls.push(`describeStateMachine ${arn}`);
      return Promise.reject(new Error('AccessDenied'));
    }
    return this.count(`describeStateMachine ${arn}`, { arn, name: arn } as DeployedStateMachine);
  }
  stackTemplate(stackId: string) {
    return this.count(`stackTemplate ${stackId}`, `template of ${stackId}`);
  }
  stackResources(stackId: string) {
    return this.count(`stackResources ${stackId}`, { Machine: `${stackId}-machine` });
  }
  fetchPayload(url: string) {
    return this.count(`fetchPayload ${url}`, url);
  }
  changeSetTemplate(stackId: string, changeSetId: string) {
    return this.count(`changeSetTemplate ${stackId} ${changeSetId}`, `template of ${changeSetId}`);
  }
  keyPolicy(keyArn: string) {
    return this.count(`keyPolicy ${keyArn}`, { document: null });
  }
  keyGrants(keyArn: string, roleArn: string) {
    return this.count(`keyGrants ${keyArn} ${roleArn}`, []);
  }
  bucketPolicy(bucket: string) {
    return this.count(`bucketPolicy ${bucket}`, { document: null });
  }
  bucketRegion(bucket: string) {
    return this.count(`bucketRegion ${bucket}`, bucket === 'unknown' ? undefined : 'eu-west-1');
  }
  simulator() {
    return new EmbeddedSimulator();
  }
  snapshotOf() {
    return this.count('snapshotOf', { roles: new Map(), policies: new Map() });
  }
  listStateMachines() {
    return this.count('listStateMachines', []);
  }
}

describe('CachedBackend', () => {
  it('reads each distinct thing once, later and at the same time', async () => {
    const inner = new CountingBackend();
    const backend = new CachedBackend(inner);
    const reads = () => [
      backend.readRole('r1'),
      backend.readRole('r2'),
      backend.bucketKey('b'),
      backend.bucketKey('none'),
      backend.objectText('b', 'k'),
      backend.objectText('b', 'k', 'v1'),
      backend.describeStateMachine('m'),
      backend.stackTemplate('s'),
      backend.stackResources('s'),
      backend.bucketRegion('b'),
      backend.bucketRegion('unknown'),
    ];
    const first = await Promise.all([...reads(), ...reads()]);
    const later = await Promise.all(reads());
    expect(later).toEqual(first.slice(0, later.length));
    expect(inner.calls.sort()).toEqual(
      [
        'readRole r1',
        'readRole r2',
        'bucketKey b',
        'bucketKey none',
        'objectText b k undefined',
        'objectText b k v1',
        'describeStateMachine m',
        'stackTemplate s',
        'stackResources s',
        'bucketRegion b',
        'bucketRegion unknown',
      ].sort(),
    );
  });

  it('keeps arguments apart that would collide when joined', async () => {
    const inner = new CountingBackend();
    const backend = new CachedBackend(inner);
    await Promise.all([backend.objectText('a/b', 'c'), backend.objectText('a', 'b/c')]);
    expect(inner.calls).toHaveLength(2);
  });

  it('is safe for names that are Object.prototype keys', async () => {
    const inner = new CountingBackend();
    const backend = new CachedBackend(inner);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await backend.bucketKey(name)).toBe(`key-of-${name}`);
      expect((await backend.readRole(name)).arn).toBe(name);
    }
    expect(inner.calls).toHaveLength(8);
  });

  it('shares a failure instead of asking again in the same run', async () => {
    const inner = new CountingBackend();
    const backend = new CachedBackend(inner);
    await expect(backend.describeStateMachine('broken')).rejects.toThrow('AccessDenied');
    await expect(backend.describeStateMachine('broken')).rejects.toThrow('AccessDenied');
    expect(inner.calls).toEqual(['describeStateMachine broken']);
  });

  it('passes presigned payloads through every time', async () => {
    const inner = new CountingBackend();
    const backend = new CachedBackend(inner);
    await backend.fetchPayload('https://example/x');
    await backend.fetchPayload('https://example/x');
    expect(inner.calls).toHaveLength(2);
  });

  it('keeps nothing between instances (one per run or invocation)', async () => {
    const inner = new CountingBackend();
    await new CachedBackend(inner).readRole('r');
    await new CachedBackend(inner).readRole('r');
    expect(inner.calls).toHaveLength(2);
  });
});

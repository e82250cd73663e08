// mapWithConcurrency: results in input order, never more than the bound in flight, no new call after a failure.
import { mapWithConcurrency } from '../../lib/model/concurrency';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
  it('keeps input order and the bound', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 1, 2], 3, async (ms, index) => {
      most = Math.max(most, ++inFlight);
      await tick(ms);
      inFlight--;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:1', '6:2']);
    expect(most).toBe(3);
  });

  it('answers [] for no items', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    await expect(
      mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (i) => {
        started.push(i);
        await tick(1);
        if (i === 1) throw new Error('boom');
        return i;
      }),
    ).rejects.toThrow('boom');
    await tick(5);
    expect(started).toEqual([0, 1, 2]);
  });
});

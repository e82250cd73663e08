// Bounded concurrency for independent calls (IAM simulations, account reads): a few lines rather than a
// dependency — p-limit is ESM-only since v4, and a worker pool over an index needs no queue.

/**
 * `fn` over `items` with at most `limit` calls in flight; results in input order. The first failure rejects, and
 * no new item starts after it (calls already in flight finish on their own).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

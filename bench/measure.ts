// Timing helpers. Every ratio the bench prints comes from sideBySide: A and B run alternately in one process
// run, so a change in machine load during the bench affects both, and each figure is a median of several runs.

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One timed run in seconds; `run` returns false when it could not run at all (a tool that is not installed). */
function timed(run: () => boolean | void): number | undefined {
  const start = process.hrtime.bigint();
  const ran = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ran === false ? undefined : seconds;
}

export interface SideBySide {
  /** Median seconds of A and of B, undefined for a side that could not run. */
  a: number | undefined;
  b: number | undefined;
  /** b / a, when both ran. */
  ratio: number | undefined;
}

/**
 * Time A and B alternately (A, B, A, B…) `runs` times each. `warmUp` first runs each once untimed, for work done
 * in this process (the JIT); spawned commands start cold every time and need none.
 */
export function sideBySide(
  a: () => boolean | void,
  b: () => boolean | void,
  { runs, warmUp }: { runs: number; warmUp: boolean },
): SideBySide {
  if (warmUp) {
    a();
    b();
  }
  const times: [number[] | undefined, number[] | undefined] = [[], []];
  for (let i = 0; i < runs; i++) {
    [a, b].forEach((run, side) => {
      const list = times[side];
      if (list === undefined) return;
      const seconds = timed(run);
      if (seconds === undefined) times[side] = undefined;
      else list.push(seconds);
    });
  }
  const [medianA, medianB] = times.map((list) => (list && list.length > 0 ? median(list) : undefined));
  return {
    a: medianA,
    b: medianB,
    ratio: medianA !== undefined && medianB !== undefined ? medianB / medianA : undefined,
  };
}

/** sideBySide for async work (calls to a local server): A and B alternately, `runs` times each, medians in seconds. */
export async function sideBySideAsync(
  a: () => Promise<void>,
  b: () => Promise<void>,
  { runs, warmUp }: { runs: number; warmUp: boolean },
): Promise<{ a: number; b: number; ratio: number }> {
  if (warmUp) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [side, run] of [a, b].entries()) {
      const start = process.hrtime.bigint();
      await run();
      times[side as 0 | 1].push(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }
  const [medianA, medianB] = [median(times[0]), median(times[1])];
  return { a: medianA, b: medianB, ratio: medianB / medianA };
}

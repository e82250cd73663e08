// A time bound for CPU-bound work. Timers and abort signals fire only at `await` points, so long synchronous
// loops (thousands of needs and probes) check the clock themselves and yield now and then, letting the
// budget's timer and other invocations run. The deadline in force travels with the async context (one per hook
// invocation, even when invocations run concurrently in one process), so deep loops need no extra parameter.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { parseDefinition } from '../asl/definition';
import type { StateMachineModel } from '../model/state-machine';

export interface Deadline {
  /** performance.now() value after which the work stops. */
  at: number;
  /** Stops the work early (the budget's timer, a caller giving up). */
  signal?: AbortSignal;
}

/** The work ran out of time; `work` says what was being done ("state machine X: 8000 task states, …"). */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly work?: string) {
    super(work === undefined ? 'time budget spent' : `time budget spent on ${work}`);
  }
}

export function deadlineAfter(ms: number, signal?: AbortSignal): Deadline {
  return { at: performance.now() + ms, ...(signal ? { signal } : {}) };
}

const current = new AsyncLocalStorage<Deadline>();

/** Run `work` with `deadline` in force for every check and probe it starts. */
export function withDeadline<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  return current.run(deadline, work);
}

export function deadlineInForce(): Deadline | undefined {
  return current.getStore();
}

export function expired(deadline: Deadline | undefined = current.getStore()): boolean {
  return deadline !== undefined && (deadline.signal?.aborted === true || performance.now() >= deadline.at);
}

/** Throws DeadlineExceeded when the deadline in force (or the one given) has passed. Cheap enough for inner loops. */
export function checkDeadline(deadline: Deadline | undefined = current.getStore()): void {
  if (expired(deadline)) throw new DeadlineExceeded();
}

/** Yield to the event loop at most every this many milliseconds of work. */
const YIELD_EVERY_MS = 50;

/** Paces a long loop: `pause()` yields when the slice is used up and throws once the deadline has passed. */
export class Pacer {
  private sliceStart: number;
  constructor(readonly deadline: Deadline | undefined = current.getStore()) {
    // Without a deadline the clock is never read: the CLI's start does not load perf_hooks for it.
    this.sliceStart = deadline === undefined ? 0 : performance.now();
  }

  async pause(): Promise<void> {
    if (this.deadline === undefined) return;
    checkDeadline(this.deadline);
    if (performance.now() - this.sliceStart < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    this.sliceStart = performance.now();
    checkDeadline(this.deadline);
  }
}

/** What a machine's check amounts to, for the message when it does not fit: its task states and needs. */
export function workOf(machine: StateMachineModel, needs: number | undefined): string {
  let tasks: number | undefined;
  try {
    tasks = parseDefinition(machine.definition).states.filter((state) => state.type === 'Task').length;
  } catch {
    tasks = undefined; // an unreadable definition is reported by the check itself; the size is what matters here
  }
  const parts = [
    ...(tasks !== undefined ? [`${tasks.toLocaleString('en-US')} task states`] : []),
    needs !== undefined ? `${needs.toLocaleString('en-US')} needs` : 'needs not derived yet',
  ];
  return `state machine ${machine.id}: ${parts.join(', ')}`;
}

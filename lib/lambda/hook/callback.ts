// What an IN_PROGRESS answer carries to the next invocation (requestContext.callbackContext): the ids of the
// units done and their finding counts, never finding texts. Units done without findings are not run again; units
// with findings are re-run on a later invocation so the final answer has their texts. Whatever comes back is
// validated: a context of another request, another shape or beyond the bounds is ignored (everything is re-run).
import { isRecord } from '../../model/json';
import type { Finding, Severity } from '../../checks/types';

export interface UnitCounts {
  error: number;
  warning: number;
  info: number;
}

const VERSION = 1;
/** Bounds on what is read back: a stack has at most 500 resources, an id at most 255 characters. */
const MAX_UNITS = 500;
const MAX_ID = 255;
const MAX_COUNT = 100_000;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT;

export function countsOf(findings: Finding[]): UnitCounts {
  const counts: UnitCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity as Severity] += 1;
  return counts;
}

export const isClean = (counts: UnitCounts): boolean => counts.error + counts.warning + counts.info === 0;

/** The callbackContext for an IN_PROGRESS answer: `[id, errors, warnings, infos]` per unit done. */
export function callbackContextOf(token: string, done: Map<string, UnitCounts>): Record<string, unknown> {
  return {
    v: VERSION,
    token,
    done: [...done].slice(0, MAX_UNITS).map(([id, c]) => [id, c.error, c.warning, c.info]),
  };
}

/** The units an earlier invocation of this request finished; empty for anything not written by callbackContextOf. */
export function readCallbackContext(value: unknown, token: string): Map<string, UnitCounts> {
  const done = new Map<string, UnitCounts>();
  if (!isRecord(value) || value.v !== VERSION || value.token !== token || !Array.isArray(value.done)) return done;
  if (value.done.length > MAX_UNITS) return done;
  for (const entry of value.done) {
    if (!Array.isArray(entry) || entry.length !== 4) return new Map();
    const [id, error, warning, info] = entry as unknown[];
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID) return new Map();
    if (!isCount(error) || !isCount(warning) || !isCount(info)) return new Map();
    done.set(id, { error, warning, info });
  }
  return done;
}

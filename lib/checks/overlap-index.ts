// Which needed resources a statement's resource pattern overlaps (either matches a sample of the other). The
// needs of a role shared by many state machines are many: both directions are narrowed by literal prefix first.
import { arnMatches, literalPrefix } from '../iam/match';
import { PrefixIndex } from '../iam/prefix-index';
import { sampleResource } from '../needs/context';

export class OverlapIndex<T> {
  /** Samples of the resources, sorted: those a pattern can match share its literal prefix, a range. */
  private readonly samples: Array<{ sample: string; item: T }>;
  /** The resources as patterns, for a sample of the statement's pattern to be matched against. */
  private readonly patterns = new PrefixIndex<{ resource: string; item: T }>();

  constructor(entries: ReadonlyArray<readonly [resource: string, item: T]>) {
    this.samples = entries
      .map(([resource, item]) => ({ sample: sampleResource(resource), item }))
      .sort((a, b) => (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0));
    for (const [resource, item] of entries) this.patterns.add(resource, { resource, item });
  }

  /** The items of every resource the pattern overlaps, each once, in no particular order. */
  overlapping(pattern: string, first = false): T[] {
    const found = new Set<T>();
    const prefix = literalPrefix(pattern);
    let low = 0;
    let high = this.samples.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.samples[mid] as { sample: string }).sample < prefix) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.samples.length; i++) {
      const { sample, item } = this.samples[i] as { sample: string; item: T };
      if (!sample.startsWith(prefix)) break;
      if (!found.has(item) && arnMatches(pattern, sample)) {
        found.add(item);
        if (first) return [...found];
      }
    }
    const patternSample = sampleResource(pattern);
    for (const { resource, item } of this.patterns.candidates(patternSample))
      if (!found.has(item) && arnMatches(resource, patternSample)) {
        found.add(item);
        if (first) break;
      }
    return [...found];
  }

  overlaps(pattern: string): boolean {
    return this.overlapping(pattern, true).length > 0;
  }
}

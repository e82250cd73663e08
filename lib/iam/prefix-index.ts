// Candidates for wildcard patterns by their literal start: a pattern can only match values that begin with the
// characters before its first `*` or `?`, so a large set of patterns is narrowed to a few before matching.
import { literalPrefix } from './match';

/** Items filed under wildcard patterns, looked up by a value: the items whose pattern could match it. */
export class PrefixIndex<T> {
  // Grouped by prefix length, so a lookup tries each length present once instead of every pattern.
  private readonly byLength = new Map<number, Map<string, T[]>>();

  add(pattern: string, item: T): void {
    const prefix = literalPrefix(pattern);
    let group = this.byLength.get(prefix.length);
    if (!group) this.byLength.set(prefix.length, (group = new Map()));
    const list = group.get(prefix);
    if (list) list.push(item);
    else group.set(prefix, [item]);
  }

  /** Items whose pattern's literal start begins `value`, in no particular order and possibly repeated. */
  candidates(value: string): T[] {
    const found: T[] = [];
    for (const [length, group] of this.byLength) {
      if (length > value.length) continue;
      const list = group.get(value.slice(0, length));
      if (list) for (const item of list) found.push(item);
    }
    return found;
  }
}

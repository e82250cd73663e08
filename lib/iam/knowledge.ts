// What the evaluator knows about a key the request context does not carry: AWS sends none (absent), or
// dmap-guard cannot tell (unknown: it may be absent or carry any value).

import { interpolations } from '../model/text';

export type KeyKnowledge = 'absent' | 'unknown';

/** For keys missing from the context: one answer for all, or a lookup by lower-cased key name. */
export type MissingKeys = KeyKnowledge | ((lowerCaseKey: string) => KeyKnowledge);

/** Is a lower-cased key that the context does not carry unknown (rather than absent)? */
export type UnknownKeyTest = (lowerCaseKey: string) => boolean;

export function unknownKeyTest(missing: MissingKeys | undefined): UnknownKeyTest {
  if (missing === undefined || missing === 'unknown') return () => true;
  if (missing === 'absent') return () => false;
  return (key) => missing(key) === 'unknown';
}

/** Context keys (as written) named by the policy variables of a string (`${aws:PrincipalTag/team}`, `${k, 'd'}`). */
export function variableKeys(text: string): string[] {
  if (!text.includes('${')) return [];
  const keys: string[] = [];
  for (const term of interpolations(text)) {
    const inner = term.inner.trim();
    if (inner === '*' || inner === '?' || inner === '$') continue;
    const comma = inner.indexOf(',');
    keys.push((comma < 0 ? inner : inner.slice(0, comma)).trim());
  }
  return keys;
}

// Linear-time scanners for text from input, standing in for regular expressions that V8 runs in quadratic time
// (a backtracking engine retries from every start position: `/\/+$/` on "/"×160k+"x" ran for seconds).

/** `text` without its trailing run of `char` (as `text.replace(/c+$/, '')`). */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** A `${…}` term of a string: where it starts and ends (exclusive) and the text between the braces. */
export interface Interpolation {
  index: number;
  end: number;
  inner: string;
}

/**
 * The `${…}` terms of a string, in order, as `text.matchAll(/\$\{([^}]*)\}/g)` gives them; with `bangLiterals`,
 * as `/\$\{([^!}][^}]*)\}/g` (CloudFormation Fn::Sub, where `${!Literal}` is text and `${}` is no term).
 */
export function interpolations(text: string, bangLiterals = false): Interpolation[] {
  const found: Interpolation[] = [];
  let from = 0;
  for (;;) {
    const index = text.indexOf('${', from);
    if (index < 0) break;
    const first = text[index + 2];
    if (bangLiterals && (first === '!' || first === '}')) {
      // The regex fails here and retries at the next position; the next `${` is the next place it can match.
      from = index + 1;
      continue;
    }
    // No `}` after this `${`: no later term can close either.
    const close = text.indexOf('}', index + (bangLiterals ? 3 : 2));
    if (close < 0) break;
    found.push({ index, end: close + 1, inner: text.slice(index + 2, close) });
    from = close + 1;
  }
  return found;
}

/** Where the last line terminator (what `.` in a regular expression does not match) before `before` is, or -1. */
export function lastLineTerminator(text: string, before: number): number {
  for (let i = before - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return i;
  }
  return -1;
}

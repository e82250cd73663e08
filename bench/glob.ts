// Wildcard matching on adversarial input: patterns like `*a*a*a…*b` that made the RegExp matcher backtrack.
import { arnMatches } from '../lib/iam/match';
import { median } from './measure';

const PATTERNS = 10_000;

export function benchGlob(): Array<[string, string]> {
  const patterns = Array.from({ length: PATTERNS }, (_, i) => `arn:aws:s3:::${'*a'.repeat(4 + (i % 12))}*b`);
  const resources = ['a'.repeat(60), 'a'.repeat(200), `${'a'.repeat(59)}b`].map((key) => `arn:aws:s3:::${key}`);
  let matches = 0;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    matches = 0;
    const start = process.hrtime.bigint();
    for (const pattern of patterns) for (const resource of resources) if (arnMatches(pattern, resource)) matches++;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const ms = median(times);
  return [
    [
      `glob: ${PATTERNS.toLocaleString('en-US')} adversarial patterns × ${resources.length} ARNs`,
      `${ms.toFixed(0)} ms median of 5, ${matches} matches (goal well under 1 s)`,
    ],
  ];
}

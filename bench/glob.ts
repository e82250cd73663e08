// Wildcard matching on adversarial input: patterns like `*a*a*a…*b` that made the RegExp matcher backtrack.
import { loadCatalogue } from '../lib/iam/load-catalogue';
import { arnMatches } from '../lib/iam/match';
import { median } from './measure';

const PATTERNS = 10_000;

export async function benchGlob(): Promise<Array<[string, string]>> {
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
  // Action patterns against the catalogue (what over-broad-grant reports as reached): `s3:*?*?…#` made the
  // RegExp the catalogue used to build run for minutes against each S3 action name.
  const catalogue = await loadCatalogue(['s3']);
  const actionPatterns = Array.from({ length: 100 }, (_, i) => `s3:${'*?'.repeat(4 + (i % 12))}#`);
  const actionStart = process.hrtime.bigint();
  for (const pattern of actionPatterns) catalogue.actionsMatching(pattern);
  const actionMs = Number(process.hrtime.bigint() - actionStart) / 1e6;
  return [
    [
      `glob: ${PATTERNS.toLocaleString('en-US')} adversarial patterns × ${resources.length} ARNs`,
      `${ms.toFixed(0)} ms median of 5, ${matches} matches (goal well under 1 s)`,
    ],
    [
      `glob: 100 adversarial action patterns × ${catalogue.actionsOf('s3')?.length ?? 0} S3 actions`,
      `${actionMs.toFixed(0)} ms (goal well under 1 s; minutes each with a RegExp)`,
    ],
  ];
}

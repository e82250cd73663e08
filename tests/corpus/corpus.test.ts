// Whole-run golden files over the shared corpus: `check` on every template and `policy` on every definition.
// Findings were reviewed by hand against corpus/INDEX.md; regenerate with `npm run update-golden` and review the diff.
// Runs with `npm run test:corpus`; skipped, saying so, where ../shared/corpus is absent (a user's fresh clone).
import { basename, join } from 'node:path';
import { corpusCases, CORPUS } from '../helpers/corpus';
import { runCli } from '../helpers/cli';
import { expectGolden } from '../helpers/golden';

const cases = corpusCases();
const GOLDEN = join(__dirname, 'golden');
const describeCorpus = cases.length > 0 ? describe : describe.skip;

if (cases.length === 0) console.warn(`corpus tests skipped: ${CORPUS} is absent`);

describeCorpus('corpus', () => {
  it('is complete (../shared/corpus beside the project)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.filter((c) => c.templates.length > 0).map((c) => [c.name, c] as const))('check %s', async (name, c) => {
    const result = await runCli([
      'check',
      ...c.templates.map((t) => join(c.dir, t)),
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    // Only the note naming AWS managed policies judged by their offline documents.
    expect(result.stderr.replace(/^note: .*\n/gm, '')).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.split(`${c.dir}/`).join(''));
    expectGolden(join(GOLDEN, `${name}.check.json`), report);
  });

  it.each(cases.flatMap((c) => c.definitions.map((d) => [`${c.name}/${d}`, c.name, join(c.dir, d)] as const)))(
    'policy %s never crashes',
    async (_label, name, file) => {
      const result = await runCli([
        'policy',
        file,
        '--state-machine-arn',
        'arn:aws:states:us-east-1:123456789012:stateMachine:CorpusMachine',
      ]);
      expect(result.code).toBe(0);
      expectGolden(join(GOLDEN, `${name}__${basename(file)}.policy.json`), JSON.parse(result.stdout));
    },
  );
});

// Whole-run golden files over the shared corpus: `check` on every template and `policy` on every definition.
// Findings were reviewed by hand against corpus/INDEX.md; regenerate with `npm run update-golden` and review the diff.
import { join } from 'node:path';
import { corpusCases } from '../helpers/corpus';
import { runCli } from '../helpers/cli';
import { expectGolden } from '../helpers/golden';

const cases = corpusCases();
const GOLDEN = join(__dirname, 'corpus');

describe('corpus', () => {
  it('is present (../shared/corpus beside the project)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.filter((c) => c.templates.length > 0).map((c) => [c.name, c] as const))('check %s', async (name, c) => {
    const result = await runCli(['check', ...c.templates.map((t) => join(c.dir, t)), '--format', 'json', '--fail-on', 'never']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.split(`${c.dir}/`).join(''));
    expectGolden(join(GOLDEN, `${name}.check.json`), report);
  });

  it.each(cases.flatMap((c) => c.definitions.map((d) => [`${c.name}/${d}`, join(c.dir, d)] as const)))('policy %s never crashes', async (name, file) => {
    const result = await runCli(['policy', file, '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:CorpusMachine']);
    expect(result.code).toBe(0);
    expectGolden(join(GOLDEN, `${name.replace(/\//g, '__')}.policy.json`), JSON.parse(result.stdout));
  });
});

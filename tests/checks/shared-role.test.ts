// A role several state machines share is judged once, against the union of their needs, and its over-broad grants
// are reported once, on the first machine that uses it, naming the others (issue: audit printed one statement 122×).
import { generatedTemplate } from '../../bench/generate';
import { runCli } from '../helpers/cli';

async function findings(text: string) {
  const result = await runCli(['check', '-', '--format', 'json', '--fail-on', 'never'], { stdin: text });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).findings as Array<{ rule: string; stateMachine: string; message: string }>;
}

describe('a shared role', () => {
  it('has each over-broad statement reported once, naming the other machines', async () => {
    const broad = (await findings(generatedTemplate(3, { sharedRole: true }))).filter(
      (f) => f.rule === 'over-broad-grant',
    );
    expect(broad.length).toBeGreaterThan(0);
    expect(new Set(broad.map((f) => f.stateMachine))).toEqual(new Set(['Machine0']));
    for (const f of broad) expect(f.message).toMatch(/is also used by Machine1, Machine2\.$/);
  });

  it('is judged against every machine: a grant another machine needs is not over-broad', async () => {
    const broad = (await findings(generatedTemplate(3, { sharedRole: true }))).filter(
      (f) => f.rule === 'over-broad-grant',
    );
    // Bucket1 and Bucket2 are read by Machine1 and Machine2: reading them is not reported on Machine0.
    expect(broad.some((f) => /arn:aws:s3:::[^ ]*bucket1[^ ]*\/\* is needed/i.test(f.message))).toBe(false);
  });

  it('of one machine only reports as before, without naming others', async () => {
    const broad = (await findings(generatedTemplate(1))).filter((f) => f.rule === 'over-broad-grant');
    for (const f of broad) expect(f.message).not.toMatch(/also used by/);
  });
});

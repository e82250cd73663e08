// A role several state machines share is judged once, against the union of their needs, and its over-broad grants
// are reported once, on the first machine that uses it, naming the others (issue: audit printed one statement 122×).
import { generatedTemplate } from '../../bench/generate';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli';

interface JsonFinding {
  rule: string;
  messageId: string;
  stateMachine: string;
  message: string;
  resources: string[];
  fixStatements?: Array<{ Resource: unknown }>;
}

async function findings(text: string) {
  const result = await runCli(['check', '-', '--format', 'json', '--fail-on', 'never'], { stdin: text });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout).findings as JsonFinding[];
}

/** generatedTemplate with one more statement in the shared role that IAM would refuse (an unknown operator). */
function withMalformedStatement(machines: number): string {
  const template = JSON.parse(generatedTemplate(machines, { sharedRole: true }));
  template.Resources.Role0.Properties.Policies[0].PolicyDocument.Statement.push({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: '*',
    Condition: { StringEqualsWhatever: { 's3:prefix': 'a' } },
  });
  return JSON.stringify(template);
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

  it('names at most five other machines, then how many more', async () => {
    const broad = (await findings(generatedTemplate(8, { sharedRole: true }))).filter(
      (f) => f.rule === 'over-broad-grant',
    );
    for (const f of broad)
      expect(f.message).toMatch(/is also used by Machine1, Machine2, Machine3, Machine4, Machine5 and 2 more\.$/);
  });

  it('reports identical statements as one finding naming them all (not one fix per statement)', async () => {
    // generatedTemplate gives each machine its own `states:StartExecution *` statement: #0, #2, #4.
    const all = await findings(generatedTemplate(3, { sharedRole: true }));
    const other = all.filter((f) => f.messageId === 'otherStateMachine');
    expect(other).toHaveLength(1);
    expect(other[0]?.message).toMatch(
      /^Statement #0 of .* \(and 2 more statements granting the same: Statement #2, Statement #4\) allows/,
    );
  });

  it('shows, for a statement on one bucket, the statements of that bucket only', async () => {
    const all = await findings(generatedTemplate(3, { sharedRole: true }));
    const listing = all.filter((f) => f.messageId === 'listWithoutPrefix');
    expect(listing).toHaveLength(3);
    for (const f of listing) expect(f.fixStatements).toHaveLength(1);
  });

  it("reports the role's malformed statement once, not once per machine", async () => {
    const invalid = (await findings(withMalformedStatement(4))).filter((f) => f.rule === 'invalid-policy');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.stateMachine).toBe('Machine0');
    expect(invalid[0]?.message).toMatch(/is also used by Machine1, Machine2, Machine3\.$/);
  });

  it('prints fixes that repeat a resource in a YAML template without YAML aliases', async () => {
    const yaml = stringify(JSON.parse(generatedTemplate(3, { sharedRole: true })));
    const result = await runCli(['check', '-', '--fail-on', 'never'], { stdin: yaml });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('!GetAtt');
    expect(result.stdout).not.toMatch(/[*&]a\d/);
  });

  it('keeps a role finding one machine suppresses for the machines that do not: it moves to the first of them', async () => {
    const template = JSON.parse(withMalformedStatement(3));
    template.Resources.Machine0.Metadata = {
      'dmap-guard': { suppress: [{ rule: 'invalid-policy', reason: 'Machine0 accepts it' }] },
    };
    const result = await runCli(['check', '-', '--format', 'json'], { stdin: JSON.stringify(template) });
    expect(result.code).toBe(1);
    const invalid = (JSON.parse(result.stdout).findings as Array<JsonFinding & { suppressed?: unknown }>).filter(
      (f) => f.rule === 'invalid-policy',
    );
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.stateMachine).toBe('Machine1');
    expect(invalid[0]?.suppressed).toBeUndefined();
    expect(invalid[0]?.message).toMatch(/is also used by Machine0, Machine2\.$/);
  });

  it('is suppressed only when every machine on the role suppresses it', async () => {
    const template = JSON.parse(withMalformedStatement(2));
    for (const id of ['Machine0', 'Machine1'])
      template.Resources[id].Metadata = {
        'dmap-guard': { suppress: [{ rule: 'invalid-policy', reason: `${id} accepts it` }] },
      };
    const result = await runCli(['check', '-', '--format', 'json'], { stdin: JSON.stringify(template) });
    expect(result.code).toBe(0);
    const invalid = (JSON.parse(result.stdout).findings as Array<JsonFinding & { suppressed?: unknown }>).filter(
      (f) => f.rule === 'invalid-policy',
    );
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.suppressed).toEqual({ reason: 'Machine0 accepts it' });
  });

  it('shows, for a statement on several buckets, the needs of every one of them (the fix replaces the statement)', async () => {
    const template = JSON.parse(generatedTemplate(2, { sharedRole: true }));
    // One statement granting both buckets, with nothing scoped by prefix.
    template.Resources.Role0.Properties.Policies[0].PolicyDocument.Statement = [
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [{ 'Fn::GetAtt': ['Bucket0', 'Arn'] }, { 'Fn::GetAtt': ['Bucket1', 'Arn'] }],
      },
    ];
    const listing = (await findings(JSON.stringify(template))).filter((f) => f.messageId === 'listWithoutPrefix');
    expect(listing.length).toBeGreaterThan(0);
    for (const f of listing) {
      const text = JSON.stringify(f.fixStatements);
      expect(text).toContain('Bucket0');
      expect(text).toContain('Bucket1');
    }
  });

  it('merges like statements only within one policy, so each finding points at its own policy', async () => {
    const template = JSON.parse(generatedTemplate(2, { sharedRole: true }));
    const statements = template.Resources.Role0.Properties.Policies[0].PolicyDocument.Statement;
    template.Resources.Role0.Properties.Policies = [
      { PolicyName: 'first', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
      { PolicyName: 'second', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
    ];
    const other = (await findings(JSON.stringify(template))).filter((f) => f.messageId === 'otherStateMachine');
    expect(other).toHaveLength(2);
    expect(other.map((f) => f.message.match(/inline policy (\w+)/)?.[1]).sort()).toEqual(['first', 'second']);
  });
});

// Paste the printed fixes into the role and check again: the template then passes, under any account and Region
// (so no synthetic name or default account was pasted), and cfn-lint accepts it (so it would deploy).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli';

const PASTED_RULES = new Set(['missing-permission', 'missing-recommended-permission']);
const ELSEWHERE = ['--account-id', '210987654321', '--region', 'eu-west-1'];

interface JsonFinding {
  rule: string;
  fix: string;
  fixStatements?: unknown[];
}

async function fixesOf(template: string, extra: string[] = []): Promise<JsonFinding[]> {
  const { stdout } = await runCli(['check', template, '--format', 'json', '--fail-on', 'never', ...extra]);
  return (JSON.parse(stdout).findings as JsonFinding[]).filter((f) => PASTED_RULES.has(f.rule));
}

/** The statements a fix prints, as the text that follows "Add to the execution role:". */
const snippetOf = (finding: JsonFinding) => finding.fix.slice(finding.fix.indexOf('\n') + 1);

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

async function recheck(template: string, extra: string[] = []) {
  const { code, stdout } = await runCli(['check', template, '--format', 'json', ...extra]);
  const report = JSON.parse(stdout);
  return {
    code,
    remaining: (report.findings as JsonFinding[]).filter((f) => PASTED_RULES.has(f.rule)),
    verdicts: (report.stateMachines as Array<{ verdict: string }>).map((m) => m.verdict),
  };
}

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const lintable = cfnLint.status === 0;
if (!lintable) console.warn('cfn-lint is not installed: the patched templates are not linted (pip install cfn-lint)');

function expectLintClean(template: string): void {
  if (!lintable) return;
  const lint = spawnSync('cfn-lint', ['--format', 'parseable', template], { encoding: 'utf8' });
  expect(lint.stdout + lint.stderr).toBe('');
  expect(lint.status).toBe(0);
}

describe('paste the fix, check again', () => {
  it('examples/image-pipeline (YAML, SAM): the fixes use intrinsics and the patched template passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-round-trip-'));
    cpSync(join(ROOT, 'examples', 'image-pipeline'), dir, { recursive: true });
    const template = join(dir, 'template.yaml');
    const fixes = await fixesOf(template);
    expect(fixes.map((f) => f.rule)).toContain('missing-permission');
    const snippets = fixes.map(snippetOf);
    for (const snippet of snippets) {
      expect(snippet).not.toMatch(/123456789012|dmap-guard-|us-east-1/);
      expect(snippet).toMatch(/!GetAtt |!Sub "|!Ref /);
    }
    const text = readFileSync(template, 'utf8');
    const anchor = '              - Sid: RunChildWorkflows';
    expect(text).toContain(anchor);
    writeFileSync(template, text.replace(anchor, `${indent(snippets.join('\n'), 14)}\n${anchor}`));

    for (const options of [[], ELSEWHERE]) {
      const { remaining, verdicts } = await recheck(template, options);
      expect(remaining).toEqual([]);
      expect(verdicts).toEqual(['pass']);
    }
    expectLintClean(template);
  });

  it('a JSON template: the fixes are JSON intrinsics (Fn::Sub) and the patched template passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-round-trip-json-'));
    const template = join(dir, 'template.json');
    writeFileSync(template, JSON.stringify(JSON_TEMPLATE, null, 2));
    // The input bucket is outside the template: known to have no bucket policy, the role alone decides.
    const policies = join(dir, 'resource-policies.json');
    writeFileSync(policies, JSON.stringify({ 'arn:aws:s3:::input-data': null }));
    const known = ['--resource-policies', policies];
    const fixes = await fixesOf(template, known);
    expect(fixes.length).toBeGreaterThanOrEqual(3);
    const snippets = fixes.map(snippetOf);
    for (const snippet of snippets) expect(snippet).not.toMatch(/123456789012|dmap-guard-|us-east-1|input-data/);
    expect(snippets.join('\n')).toContain('"Fn::Sub": "${Results.Arn}/runs/*"');
    expect(snippets.join('\n')).toContain('${InputBucketName}');
    expect(fixes.flatMap((f) => f.fixStatements ?? [])).toContainEqual(
      expect.objectContaining({ Resource: { 'Fn::Sub': '${Results.Arn}/runs/*' } }),
    );
    const text = readFileSync(template, 'utf8');
    const at = text.lastIndexOf('{', text.indexOf('"Sid": "Logs"'));
    writeFileSync(template, `${text.slice(0, at)}${snippets.join(',\n')},\n${text.slice(at)}`);

    for (const options of [known, [...known, ...ELSEWHERE]]) {
      const { remaining, verdicts } = await recheck(template, options);
      expect(remaining).toEqual([]);
      expect(verdicts).toEqual(['pass']);
    }
    expectLintClean(template);
  });
});

const DEFINITION = {
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: '${InputBucket}', Key: 'manifests/items.csv' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: '${ResultsBucket}', Prefix: 'runs' },
      },
      End: true,
    },
  },
};

const JSON_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'A CSV manifest from a bucket named by a parameter, results to a bucket of the template.',
  Parameters: { InputBucketName: { Type: 'String', Default: 'input-data' } },
  Resources: {
    Results: { Type: 'AWS::S3::Bucket' },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'machine',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'Logs',
                  Effect: 'Allow',
                  Action: 'xray:PutTraceSegments',
                  Resource: '*',
                },
              ],
            },
          },
        ],
      },
    },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'csv-runs',
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        DefinitionString: JSON.stringify(DEFINITION),
        DefinitionSubstitutions: { InputBucket: { Ref: 'InputBucketName' }, ResultsBucket: { Ref: 'Results' } },
      },
    },
  },
};

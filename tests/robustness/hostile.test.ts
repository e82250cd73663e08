// Hostile and oversized inputs: clear errors or correct answers, with bounded cost (jest's timeout is the bound;
// speed figures live in npm run bench).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDefinition, DefinitionError, MAX_NESTING } from '../../lib/asl/definition';
import { PayloadError, checkPayloadUrl, readCapped } from '../../lib/aws/payload';
import { parseDocumentText } from '../../lib/cfn/load';
import { InputError } from '../../lib/model/errors';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { deriveNeeds } from '../../lib/needs';
import { runCli } from '../helpers/cli';
import { expectContract } from '../helpers/hook';
import { generatedTemplate } from '../../bench/generate';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ctx = {
  name: 'm',
  partition: 'aws',
  region: 'us-east-1',
  account: '123456789012',
  type: 'STANDARD' as const,
  bucketKeys: {},
  logging: false,
  tracing: false,
};
const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-hostile-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

function wideDefinition(states: number) {
  const children: Record<string, unknown> = {};
  for (let i = 0; i < states; i++) {
    children[`S${i}`] =
      i % 2 === 0
        ? {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: `fn-${i % 50}` },
            Next: `S${(i + 1) % states}`,
          }
        : { Type: 'Pass', Next: `S${(i + 1) % states}` };
  }
  return {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'S0',
          States: children,
        },
        End: true,
      },
    },
  };
}

function nested(levels: number) {
  let machine: Record<string, unknown> = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
  for (let i = 0; i < levels; i++)
    machine = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [machine], End: true } } };
  return machine;
}

describe('hostile definitions', () => {
  it('handles 10,000 states with a cyclic Next chain', () => {
    const result = deriveNeeds(parseDefinition(wideDefinition(10_000)), ctx);
    expect(result.distributedMaps).toHaveLength(1);
    expect(new Set(result.needs.flatMap((n) => n.resources)).size).toBeGreaterThan(50);
  });

  it('handles a definition of over 1 MB given as text', () => {
    const text = JSON.stringify(wideDefinition(13_000));
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(parseDefinition(text).states.length).toBe(13_001);
  });

  it('handles 100-level nesting and refuses deeper than the limit with the path', () => {
    expect(parseDefinition(nested(100)).states.length).toBe(101);
    expect(() => parseDefinition(nested(MAX_NESTING + 1))).toThrow(DefinitionError);
  });
});

describe('hostile templates', () => {
  it('checks a template with thousands of resources', async () => {
    const file = write('many.json', generatedTemplate(1000));
    const { code, stdout } = await runCli(['check', file, '--format', 'json', '--fail-on', 'never']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.stateMachines).toBe(1000);
  });

  it('checks a role with a huge policy (5,000 statements)', async () => {
    const statements = Array.from({ length: 5000 }, (_, i) => ({
      Effect: 'Allow',
      Action: `dynamodb:GetItem`,
      Resource: `arn:aws:dynamodb:us-east-1:123456789012:table/t${i}`,
    }));
    const template = JSON.parse(generatedTemplate(1));
    template.Resources.Role0.Properties.Policies[0].PolicyDocument.Statement.push(...statements);
    const { code, stdout } = await runCli([
      'check',
      write('huge-policy.json', JSON.stringify(template)),
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.stateMachines).toBe(1);
  });

  it('stops a YAML alias bomb with a clear error naming the line', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      'Resources: *i',
    ].join('\n');
    expect(() => parseDocumentText(bomb, 'bomb.yaml')).toThrow(/bomb\.yaml:\d+:\d+: aliases expand to more than/);
  });

  it('answers a STACK hook whose payload template is an alias bomb with InternalFailure, not a crash', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'hook-stack-create.json'), 'utf8'));
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      'Resources: *i',
    ].join('\n');
    const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate: bomb }), {
      failOn: 'error',
      onError: 'fail',
      budgetMs: 10_000,
    });
    expectContract(response, event.clientRequestToken);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(/alias/);
  });

  describe('conditions chained or nested thousands deep are unknown, not a stack overflow (found by a hostile-input hunt)', () => {
    const fixed = parseDocumentText(
      readFileSync(join(__dirname, '..', '..', 'examples', 'image-pipeline-fixed', 'template.yaml'), 'utf8'),
      'template.yaml',
    ).value as { Conditions?: Record<string, unknown>; Resources: Record<string, Record<string, unknown>> };
    const chained = () => {
      const conditions: Record<string, unknown> = {};
      for (let i = 0; i < 3000; i++) conditions[`C${i}`] = { 'Fn::Not': [{ Condition: `C${i + 1}` }] };
      conditions.C3000 = { 'Fn::Equals': ['a', 'b'] };
      return conditions;
    };
    const nested = () => {
      let value: unknown = { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] };
      for (let i = 0; i < 1500; i++) value = { 'Fn::Not': [value] };
      return { C0: value };
    };
    const withConditions = (conditions: Record<string, unknown>) => {
      const template = structuredClone(fixed);
      template.Conditions = conditions;
      for (const resource of Object.values(template.Resources)) resource.Condition = 'C0';
      return JSON.stringify(template);
    };

    it.each([
      ['a chain of 3,000 conditions', chained],
      ['one condition nested 1,500 deep', nested],
    ])('check: %s', async (_name, conditions) => {
      const run = await runCli([
        'check',
        write('deep-conditions.json', withConditions(conditions())),
        '--format',
        'json',
      ]);
      expect(run.stderr).not.toMatch(/internal error|call stack/);
      expect([0, 1]).toContain(run.code);
    });

    it('check: 3,000 buckets each named after the next', async () => {
      const template = structuredClone(fixed);
      for (let i = 0; i < 3000; i++) {
        template.Resources[`Chain${i}`] = {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: i === 2999 ? 'last' : { Ref: `Chain${i + 1}` } },
        };
      }
      const run = await runCli(['check', write('deep-references.json', JSON.stringify(template)), '--format', 'json']);
      expect(run.stderr).not.toMatch(/internal error|call stack/);
      expect([0, 1]).toContain(run.code);
    });

    it.each([
      ['a chain of 3,000 conditions', chained],
      ['one condition nested 1,500 deep', nested],
    ])('hook: %s', async (_name, conditions) => {
      const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'hook-stack-create.json'), 'utf8'));
      const stackTemplate = withConditions(conditions());
      const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate }), {
        failOn: 'error',
        onError: 'fail',
        budgetMs: 10_000,
      });
      expectContract(response, event.clientRequestToken);
      expect(response.message ?? '').not.toMatch(/call stack/);
      expect(response.errorCode).not.toBe('InternalFailure');
    });
  });

  it('refuses documents over the size limit before parsing them', () => {
    expect(() => parseDocumentText(`# ${'x'.repeat(6 * 1024 * 1024)}`, 'big.yaml')).toThrow(InputError);
  });
});

describe('hostile payload URLs and bodies', () => {
  it.each([
    'http://bucket.s3.amazonaws.com/p',
    'https://127.0.0.1/p',
    'https://example.com/p',
    'ftp://bucket.s3.amazonaws.com/p',
  ])('refuses %s', (url) => {
    expect(() => checkPayloadUrl(url)).toThrow(PayloadError);
  });

  it('refuses a body larger than the cap, whatever Content-Length claims', async () => {
    await expect(readCapped(new Response('x'.repeat(2048)), 1024)).rejects.toThrow(/exceeds 1024 bytes/);
    await expect(
      readCapped(new Response('x'.repeat(10), { headers: { 'content-length': '999999' } }), 1024),
    ).rejects.toThrow(/999999 bytes/);
    expect(await readCapped(new Response('{"template":""}'), 1024)).toBe('{"template":""}');
  });
});

describe('objects whose own toString is not a function (found by tests/robustness/cli-properties.test.ts)', () => {
  it.each([
    ['a permissions boundary', { PermissionsBoundary: { toString: 0 } }],
    ['a managed policy ARN', { ManagedPolicyArns: [{ toString: 0 }] }],
    ['an inline policy name', { Policies: [{ PolicyName: { toString: 0, valueOf: 0 }, PolicyDocument: {} }] }],
  ])('%s: check answers instead of throwing', async (_name, roleProperties) => {
    const template = {
      Resources: {
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
        },
        Role: { Type: 'AWS::IAM::Role', Properties: roleProperties },
      },
    };
    const result = await runCli(['check', '-', '--format', 'json', '--fail-on', 'never'], {
      stdin: JSON.stringify(template),
    });
    expect(result.stderr).not.toMatch(/TypeError|at .*\.ts:/);
    expect([0, 2]).toContain(result.code);
  });
});

// Expansion bombs in templates: resolution stops at a size and a step limit with an error naming where.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_RESOLVED_CHARS, ResolutionLimitError } from '../../lib/cfn/intrinsics';
import { parseDocumentText } from '../../lib/cfn/load';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { TemplateAnalysis } from '../../lib/cfn/template';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/fixtures';
import { expectContract } from '../helpers/hook';

const OPTIONS = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

function analysis(template: unknown): TemplateAnalysis {
  return new TemplateAnalysis(parseDocumentText(JSON.stringify(template), 'template.json'), OPTIONS);
}

/** `${X}${X}` nested `levels` deep: 2^levels copies of a 1 KiB string. */
function doublingSub(levels: number): unknown {
  let value: unknown = 'a'.repeat(1024);
  for (let i = 0; i < levels; i++) value = { 'Fn::Sub': ['${X}${X}', { X: value }] };
  return value;
}

const selfReferencingMap = {
  Loop: { Key: { Value: [1, 2].map(() => ({ 'Fn::FindInMap': ['Loop', 'Key', 'Value'] })) } },
};

function resolveError(template: unknown, value: unknown): ResolutionLimitError {
  try {
    analysis(template).resolve(value);
  } catch (error) {
    if (error instanceof ResolutionLimitError) return error;
    throw error;
  }
  throw new Error('expected a ResolutionLimitError');
}

describe('resolution limits', () => {
  it('stops nested Fn::Sub doubling at the size limit and names the path', () => {
    const error = resolveError({ Resources: {} }, { Statement: [{ Resource: doublingSub(40) }] });
    expect(error.message).toMatch(`Fn::Sub resolves to more than ${MAX_RESOLVED_CHARS} characters`);
    expect(error.path).toMatch(/^\$\.Statement\[0\]\.Resource\.Fn::Sub\[1\]\.X\.Fn::Sub/);
  });

  it('resolves moderate nesting in full', () => {
    expect(analysis({ Resources: {} }).resolve(doublingSub(4))).toBe('a'.repeat(1024 * 16));
  });

  it('stops Fn::Join of a list of huge strings before joining', () => {
    const big = 'b'.repeat(MAX_RESOLVED_CHARS / 2);
    const error = resolveError({ Resources: {} }, { 'Fn::Join': ['', [big, big, big]] });
    expect(error.message).toMatch('Fn::Join resolves to more than');
  });

  it('stops a self-referencing Fn::FindInMap at the step limit and names the mapping', () => {
    const template = { Mappings: selfReferencingMap, Resources: {} };
    const error = resolveError(template, { Value: { 'Fn::FindInMap': ['Loop', 'Key', 'Value'] } });
    expect(error.message).toMatch(/resolving takes more than \d+ steps/);
    expect(error.path).toMatch(/^\$\.Mappings\.Loop\.Key\.Value/);
  });

  it('keeps `${` without a closing brace as text, however many there are', () => {
    const text = '${'.repeat(1_000_000);
    expect(analysis({ Resources: {} }).resolve({ 'Fn::Sub': text })).toBe(text);
  });

  it('keeps a `__proto__` key of a resolved object as an own property', () => {
    const resolved = analysis({ Resources: {} }).resolve(JSON.parse('{"__proto__": {"a": 1}}')) as object;
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
    expect(Object.keys(resolved)).toEqual(['__proto__']);
  });

  /** A passing fixture whose first policy statement's Resource is a Fn::Sub doubling bomb. */
  function bombTemplate(): string {
    const template = JSON.parse(readFileSync(join(FIXTURES, 'check', 'least-privilege-passes.json'), 'utf8'));
    template.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Resource = doublingSub(40);
    return JSON.stringify(template);
  }

  it('answers a STACK hook whose template is an expansion bomb with InternalFailure naming the path', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', 'hook-stack-create.json'), 'utf8'));
    const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate: bombTemplate() }), {
      failOn: 'error',
      onError: 'fail',
      budgetMs: 10_000,
    });
    expectContract(response, event.clientRequestToken);
    expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(response.message).toMatch(/PolicyDocument\.Statement\[0\]\.Resource\.Fn::Sub/);
  });

  it('check ends with exit 2 and one line naming the path, not a crash', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dmap-guard-expansion-')), 'template.json');
    writeFileSync(file, bombTemplate());
    const { code, stdout, stderr } = await runCli(['check', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // The path is inside the property resolved (Policies); template.ts would have to add the resource.
    expect(stderr).toMatch(
      /^dmap-guard: intrinsic functions at \$\[0\]\.PolicyDocument\.Statement\[0\]\.Resource\.Fn::Sub.* more than/,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('line numbers in deeply nested JSON', () => {
  it('locates a value 100,000 levels down without overflowing the stack', () => {
    const depth = 100_000;
    const doc = parseDocumentText(`${'['.repeat(depth)}"x"${']'.repeat(depth)}`, 'deep.json');
    expect(doc.locate(Array<number>(depth).fill(0))).toEqual({ line: 1, column: depth + 1 });
    expect(doc.locate([0, 0, 5])).toEqual({ line: 1, column: 3 });
  });

  it('locates object members at their key', () => {
    const doc = parseDocumentText('{\n  "a": {\n    "b": [1, {"c": 2}]\n  }\n}', 'small.json');
    expect(doc.locate(['a', 'b', 1, 'c'])).toEqual({ line: 3, column: 15 });
    expect(doc.locate(['a', 'b'])).toEqual({ line: 3, column: 5 });
  });
});

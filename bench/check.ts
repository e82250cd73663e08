// `dmap-guard check` beside `cfn-lint` on the same files: the corpus and generated 100/1000-machine templates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusCases } from '../tests/helpers/corpus';
import { generatedTemplate } from './generate';

function seconds(command: string, args: string[], runs: number): number | undefined {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: 'ignore', maxBuffer: 1 << 28 });
    if (result.error) return undefined;
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const fmt = (s: number | undefined) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s`);

export function benchCheck(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const cli = resolve('dist/cli.js');
  const cases = corpusCases(resolve('..', 'shared', 'corpus'));
  const templates = cases.flatMap((c) => c.templates.map((t) => join(c.dir, t)));
  const compare = (label: string, files: string[], runs: number, goal: string) => {
    const ours = seconds(process.execPath, [cli, 'check', ...files, '--format', 'json', '--fail-on', 'never'], runs);
    const lint = seconds('cfn-lint', files, runs);
    const ratio =
      ours !== undefined && lint !== undefined
        ? ` → ${((ours / lint) * 100).toFixed(0)}% of cfn-lint's time (goal ${goal})`
        : '';
    rows.push([label, `check ${fmt(ours)}, cfn-lint ${fmt(lint)}${ratio}`]);
    return ours;
  };
  if (templates.length > 0) compare(`check: corpus (${templates.length} templates)`, templates, 5, '≤ 25%');
  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-bench-'));
  const timings: number[] = [];
  for (const machines of [100, 1000]) {
    const file = join(dir, `machines-${machines}.json`);
    writeFileSync(file, generatedTemplate(machines));
    const ours = compare(
      `check: ${machines} state machines`,
      [file],
      machines === 100 ? 3 : 1,
      machines === 100 ? '≤ 10%' : 'linear',
    );
    if (ours !== undefined) timings.push(ours);
  }
  if (timings.length === 2)
    rows.push([
      'check: growth 100 → 1000 machines',
      `${((timings[1] as number) / (timings[0] as number)).toFixed(1)}× (goal ≤ 12×)`,
    ]);
  return rows;
}

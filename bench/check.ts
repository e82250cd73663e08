// `dmap-guard check` beside `cfn-lint` on the same files: the corpus and generated 100/1000-machine templates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { corpusCases } from '../tests/helpers/corpus';
import { generatedTemplate } from './generate';
import { sideBySide } from './measure';

/** A spawned command to time; false when it cannot start (cfn-lint not installed). */
const command = (file: string, args: string[]) => () =>
  spawnSync(file, args, { stdio: 'ignore', maxBuffer: 1 << 28 }).error === undefined;

const fmt = (s: number | undefined) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s`);

export function benchCheck(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const cli = resolve('dist/cli.js');
  const cases = corpusCases(resolve('..', 'shared', 'corpus'));
  const templates = cases.flatMap((c) => c.templates.map((t) => join(c.dir, t)));
  const check = (files: string[]) =>
    command(process.execPath, [cli, 'check', ...files, '--format', 'json', '--fail-on', 'never']);
  const compare = (label: string, files: string[], runs: number, goal: string) => {
    const { a: lint, b: ours, ratio } = sideBySide(command('cfn-lint', files), check(files), { runs, warmUp: false });
    const share = ratio !== undefined ? ` → ${(ratio * 100).toFixed(0)}% of cfn-lint's time (goal ${goal})` : '';
    rows.push([label, `check ${fmt(ours)}, cfn-lint ${fmt(lint)}${share}`]);
  };
  // Startup: a small template against a bare node, side by side (the AWS SDK stays unloaded for check).
  const example = resolve('examples', 'image-pipeline', 'template.yaml');
  const bare = command(process.execPath, ['-e', '0']);
  const startup = sideBySide(bare, check([example]), { runs: 11, warmUp: false });
  rows.push([
    'check: one example template vs node -e 0',
    `${fmt(startup.b)} vs ${fmt(startup.a)} → ${startup.ratio === undefined ? 'n/a' : startup.ratio.toFixed(2)}× (goal ≤ 1.8×)`,
  ]);
  if (templates.length > 0) {
    // Each corpus template on its own, as a pre-commit hook or a CI step per stack runs it.
    const ratios = templates
      .map((file) => ({ file, ratio: sideBySide(bare, check([file]), { runs: 5, warmUp: false }).ratio }))
      .filter((r): r is { file: string; ratio: number } => r.ratio !== undefined)
      .sort((x, y) => x.ratio - y.ratio);
    const middle = ratios[Math.floor(ratios.length / 2)];
    const worst = ratios[ratios.length - 1];
    if (middle && worst) {
      rows.push([
        `check: each corpus template vs node -e 0`,
        `median ${middle.ratio.toFixed(2)}×, slowest ${worst.ratio.toFixed(2)}× (${relative(resolve('..', 'shared', 'corpus'), worst.file)}) (goal ≤ 1.8×)`,
      ]);
    }
    compare(`check: corpus (${templates.length} templates)`, templates, 5, '≤ 25%');
  }
  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-bench-'));
  const files: string[] = [];
  for (const machines of [100, 1000]) {
    const file = join(dir, `machines-${machines}.json`);
    writeFileSync(file, generatedTemplate(machines));
    files.push(file);
    compare(`check: ${machines} state machines`, [file], 3, machines === 100 ? '≤ 10%' : 'linear');
  }
  const growth = sideBySide(check(files.slice(0, 1)), check(files.slice(1)), { runs: 3, warmUp: false }).ratio;
  rows.push([
    'check: growth 100 → 1000 machines',
    `${growth === undefined ? 'n/a' : growth.toFixed(1)}× (goal ≤ 12×), measured side by side`,
  ]);
  return rows;
}

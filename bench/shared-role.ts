// Many state machines on one role (issue 16 item 3): `check` of 1,000 machines sharing one role that holds all
// their statements, beside 1,000 machines on 1,000 roles, side by side; and the report's size, which once grew
// with machines × statements.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generatedTemplate } from './generate';
import { sideBySide } from './measure';

const MACHINES = 1000;

export function benchSharedRole(): Array<[string, string]> {
  const cli = resolve('dist/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-shared-'));
  try {
    const shared = join(dir, 'shared.json');
    const separate = join(dir, 'separate.json');
    writeFileSync(shared, generatedTemplate(MACHINES, { sharedRole: true }));
    writeFileSync(separate, generatedTemplate(MACHINES));
    const check = (file: string) => () =>
      spawnSync(process.execPath, [cli, 'check', file, '--format', 'json', '--fail-on', 'never'], {
        stdio: 'ignore',
      }).status === 0;
    const { a, b, ratio } = sideBySide(check(separate), check(shared), { runs: 3, warmUp: false });
    const report = (file: string) =>
      spawnSync(process.execPath, [cli, 'check', file, '--format', 'json', '--fail-on', 'never'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      }).stdout.length;
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    const seconds = (s: number | undefined) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s`);
    return [
      [
        `check: ${MACHINES} machines on one role`,
        `${seconds(b)} vs ${seconds(a)} on ${MACHINES} roles → ${ratio === undefined ? 'n/a' : ratio.toFixed(2)}× (goal ≤ 3×)`,
      ],
      [
        `check: JSON report, one role vs ${MACHINES} roles`,
        `${mib(report(shared))} vs ${mib(report(separate))} (goal: linear in the machines)`,
      ],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

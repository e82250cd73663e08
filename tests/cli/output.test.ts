// Output failures of the built CLI: a closed pipe ends quietly, a full disk is exit 2 with one line.
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedTemplate } from '../../bench/generate';
import { outputFailure } from '../../lib/cli/io';
import { buildCli } from '../helpers/cli';

let CLI = '';
// 100 machines with warnings (failing with --fail-on warning) print far more than a pipe buffer holds, so the CLI is still writing when the pipe closes.
const template = join(mkdtempSync(join(tmpdir(), 'dmap-guard-output-')), 'machines.json');

beforeAll(() => {
  CLI = buildCli();
  writeFileSync(template, generatedTemplate(100));
}, 120_000);

/** Run `check` on the template; `onStdout` sees the child's stdout pipe when there is one. */
function check(
  stdio: StdioOptions,
  onStdout?: (stdout: NodeJS.ReadableStream & { destroy(): void }) => void,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'check', template, '--fail-on', 'warning'], { stdio });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (child.stdout && onStdout) onStdout(child.stdout);
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

describe('CLI output failures', () => {
  it('ends quietly with 0 when the reader closes the pipe after one line (| head -1)', async () => {
    let firstLine = '';
    const { code, stderr } = await check(['ignore', 'pipe', 'pipe'], (stdout) =>
      stdout.once('data', (chunk: Buffer) => {
        firstLine = chunk.toString().split('\n')[0] as string;
        stdout.destroy();
      }),
    );
    expect(firstLine).toMatch(/Machine0 .* PASS/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('still reports findings with 1 when the whole output is read', async () => {
    const { code } = await check(['ignore', 'ignore', 'pipe']);
    expect(code).toBe(1);
  });

  (existsSync('/dev/full') ? it : it.skip)(
    'exits 2 with one line, no stack trace, on a full disk (> /dev/full)',
    async () => {
      const full = openSync('/dev/full', 'w');
      try {
        const { code, stderr } = await check(['ignore', full, 'pipe']);
        expect(stderr).toMatch(/^dmap-guard: cannot write the output \(ENOSPC: no space left on device, write\)\n$/);
        expect(code).toBe(2);
      } finally {
        closeSync(full);
      }
    },
  );
});

describe('outputFailure', () => {
  it.each<[code: string | undefined, message: string, expected: { code: number; line?: string }]>([
    ['EPIPE', 'write EPIPE', { code: 0 }],
    [
      'ENOSPC',
      'ENOSPC: no space left on device, write',
      { code: 2, line: 'dmap-guard: cannot write the output (ENOSPC: no space left on device, write)' },
    ],
    ['EIO', 'EIO: i/o error, write', { code: 2, line: 'dmap-guard: cannot write the output (EIO: i/o error, write)' }],
    [undefined, 'stream destroyed', { code: 2, line: 'dmap-guard: cannot write the output (stream destroyed)' }],
  ])('%s → %j', (code, message, expected) => {
    expect(outputFailure(Object.assign(new Error(message), code ? { code } : {}))).toEqual(expected);
  });
});

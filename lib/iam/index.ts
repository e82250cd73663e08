// The embedded IAM evaluator: pure, no AWS calls.
export * from './policy';
export * from './evaluate';
export { actionMatches, arnMatches, globMatch } from './match';

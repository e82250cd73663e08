import fc from 'fast-check';
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest } from '../../lib/iam';

const services = ['states', 's3', 'kms', 'lambda'];
const actionNames = ['StartExecution', 'DescribeExecution', 'GetObject', 'ListBucket', 'Decrypt', 'InvokeFunction'];
const resources = [
  'arn:aws:states:us-east-1:123456789012:stateMachine:A',
  'arn:aws:states:us-east-1:123456789012:execution:A:x',
  'arn:aws:s3:::bucket',
  'arn:aws:s3:::bucket/key',
  'arn:aws:kms:us-east-1:123456789012:key/k',
];

const actionPattern = fc.oneof(
  fc.constant('*'),
  fc.constantFrom(...services).map((s) => `${s}:*`),
  fc.tuple(fc.constantFrom(...services), fc.constantFrom(...actionNames)).map(([s, a]) => `${s}:${a}`),
  fc.tuple(fc.constantFrom(...services), fc.constantFrom(...actionNames)).map(([s, a]) => `${s}:${a.slice(0, 3)}*`),
);
const resourcePattern = fc.oneof(
  fc.constant('*'),
  fc.constantFrom(...resources),
  fc.constantFrom(...resources).map((r) => `${r.slice(0, -2)}*`),
);
const condition = fc.option(
  fc
    .record({
      op: fc.constantFrom('StringLike', 'StringNotEquals', 'StringEqualsIfExists', 'ForAnyValue:StringEquals'),
      value: fc.constantFrom('a', 'b*'),
    })
    .map(({ op, value }) => ({ [op]: { 's3:prefix': value } })),
  { nil: undefined },
);
const statement = (effect: 'Allow' | 'Deny') =>
  fc
    .record({
      action: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
      resource: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
      condition,
    })
    .map(({ action, resource, condition: c }) => ({
      Effect: effect,
      Action: action,
      Resource: resource,
      ...(c ? { Condition: c } : {}),
    }));
const anyStatement = fc.oneof(statement('Allow'), statement('Allow'), statement('Deny'));
const request = fc
  .record({
    action: fc.tuple(fc.constantFrom(...services), fc.constantFrom(...actionNames)).map(([s, a]) => `${s}:${a}`),
    resource: fc.constantFrom(...resources),
    context: fc.option(fc.constantFrom({ 's3:prefix': ['a'] }, { 's3:prefix': ['bx'] }), { nil: undefined }),
  })
  .map((r): AccessRequest => ({
    action: r.action,
    resource: r.resource,
    ...(r.context ? { context: r.context } : {}),
  }));

const decide = (statements: unknown[], r: AccessRequest) =>
  evaluate(
    compilePolicySet({ identity: [parsePolicy({ Version: '2012-10-17', Statement: statements }, 'p').policy] }),
    r,
  ).decision;

describe('evaluator invariants (fast-check)', () => {
  it('adding a Deny never turns a decision into allowed, and keeps an explicit deny', () => {
    fc.assert(
      fc.property(fc.array(anyStatement, { maxLength: 6 }), statement('Deny'), request, (statements, extra, r) => {
        const before = decide(statements, r);
        const after = decide([...statements, extra], r);
        if (before !== 'allowed') expect(after).not.toBe('allowed');
        if (before === 'explicitDeny') expect(after).toBe('explicitDeny');
      }),
      { numRuns: 500 },
    );
  });

  it('adding an Allow never turns an allowed request into a denied one', () => {
    fc.assert(
      fc.property(fc.array(anyStatement, { maxLength: 6 }), statement('Allow'), request, (statements, extra, r) => {
        if (decide(statements, r) === 'allowed') expect(decide([...statements, extra], r)).toBe('allowed');
      }),
      { numRuns: 500 },
    );
  });

  it('statement order does not change the decision', () => {
    fc.assert(
      fc.property(fc.array(anyStatement, { maxLength: 6 }), request, (statements, r) => {
        expect(decide([...statements].reverse(), r)).toBe(decide(statements, r));
      }),
      { numRuns: 500 },
    );
  });

  it('the case of the requested action does not change the decision', () => {
    fc.assert(
      fc.property(fc.array(anyStatement, { maxLength: 6 }), request, (statements, r) => {
        expect(decide(statements, { ...r, action: r.action.toUpperCase() })).toBe(decide(statements, r));
      }),
      { numRuns: 300 },
    );
  });

  it('a boundary can only take permissions away', () => {
    fc.assert(
      fc.property(
        fc.array(anyStatement, { maxLength: 5 }),
        fc.array(anyStatement, { maxLength: 4 }),
        request,
        (identity, boundary, r) => {
          const withBoundary = evaluate(
            compilePolicySet({
              identity: [parsePolicy({ Version: '2012-10-17', Statement: identity }, 'p').policy],
              boundary: parsePolicy({ Version: '2012-10-17', Statement: boundary }, 'b').policy,
            }),
            r,
          ).decision;
          if (withBoundary === 'allowed') expect(decide(identity, r)).toBe('allowed');
        },
      ),
      { numRuns: 300 },
    );
  });
});

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

// Three-valued evaluation: a key dmap-guard cannot know may be absent or carry any value.
const KEYS = ['s3:prefix', 'aws:SourceVpce', 'aws:PrincipalTag/team'] as const;
const knownCondition = fc.option(
  fc
    .record({
      op: fc.constantFrom(
        'StringLike',
        'StringNotEquals',
        'StringEqualsIfExists',
        'StringNotEqualsIfExists',
        'ForAnyValue:StringEquals',
        'ForAllValues:StringLike',
        'Null',
      ),
      key: fc.constantFrom(...KEYS),
      value: fc.constantFrom('a', 'b*', '${aws:PrincipalTag/team}', "${aws:PrincipalTag/team, 'a'}"),
    })
    .map(({ op, key, value }) => ({ [op]: { [key]: op === 'Null' ? (value === 'a' ? 'true' : 'false') : value } })),
  { nil: undefined },
);
const conditionalStatement = (effect: 'Allow' | 'Deny') =>
  fc
    .record({
      action: fc.array(actionPattern, { minLength: 1, maxLength: 2 }),
      resource: fc.array(
        fc.oneof(
          resourcePattern,
          fc.constantFrom('arn:aws:s3:::${aws:PrincipalTag/team}', "arn:aws:s3:::${aws:PrincipalTag/team, 'bucket'}"),
        ),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
      condition: knownCondition,
    })
    .map(({ action, resource, condition: c }) => ({
      Effect: effect,
      Action: action,
      Resource: resource,
      ...(c ? { Condition: c } : {}),
    }));
const policyOf = (id: string) =>
  fc
    .array(fc.oneof(conditionalStatement('Allow'), conditionalStatement('Allow'), conditionalStatement('Deny')), {
      maxLength: 4,
    })
    .map((Statement) => parsePolicy({ Version: '2012-10-17', Statement }, id).policy);
const policySet = fc
  .record({
    identity: policyOf('identity'),
    boundary: fc.option(policyOf('boundary'), { nil: undefined }),
    scps: fc.option(fc.array(policyOf('scp'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ identity, boundary, scps }) =>
    compilePolicySet({ identity: [identity], ...(boundary ? { boundary } : {}), ...(scps ? { scps: [scps] } : {}) }),
  );
/** Per key: unknown, known to be absent, or a value. */
const knowledge = fc.record({
  's3:prefix': fc.constantFrom<string | null | undefined>(undefined, null, 'a', 'bx'),
  'aws:SourceVpce': fc.constantFrom<string | null | undefined>(undefined, null, 'a', 'vpce-1'),
  'aws:PrincipalTag/team': fc.constantFrom<string | null | undefined>(undefined, null, 'a', 'bucket'),
});
type Knowledge = Record<(typeof KEYS)[number], string | null | undefined>;

function requestWith(action: string, resource: string, known: Knowledge): AccessRequest {
  const context: Record<string, string[]> = {};
  const absent = new Set<string>();
  for (const key of KEYS) {
    const value = known[key];
    if (typeof value === 'string') context[key] = [value];
    else if (value === null) absent.add(key.toLowerCase());
  }
  return { action, resource, context, missingKeys: (key) => (absent.has(key) ? 'absent' : 'unknown') };
}
/** Learning more about a key: an unknown one becomes absent or gets a value; known ones stay. */
const refine = (known: Knowledge, learned: Knowledge): Knowledge => {
  const result = { ...known };
  for (const key of KEYS) if (result[key] === undefined) result[key] = learned[key];
  return result;
};
const outcome = (decision: string) =>
  decision === 'explicitDeny' || decision === 'implicitDeny' ? 'denied' : decision;
const requestTarget = fc.record({
  action: fc.tuple(fc.constantFrom(...services), fc.constantFrom(...actionNames)).map(([s, a]) => `${s}:${a}`),
  resource: fc.constantFrom(...resources, 'arn:aws:s3:::bucket'),
});

describe('three-valued evaluation invariants (fast-check)', () => {
  it('adding knowledge only turns unknown into allowed or denied, never flips a decided answer', () => {
    fc.assert(
      fc.property(policySet, requestTarget, knowledge, knowledge, (set, target, known, learned) => {
        const before = evaluate(set, requestWith(target.action, target.resource, known));
        const after = evaluate(set, requestWith(target.action, target.resource, refine(known, learned)));
        if (before.decision !== 'unknown') expect(outcome(after.decision)).toBe(outcome(before.decision));
        if (before.decision === 'allowed' || before.decision === 'explicitDeny')
          expect(after.decision).toBe(before.decision);
      }),
      { numRuns: 1500 },
    );
  });

  it('with every key known nothing is unknown; an unknown decision names its statements and keys', () => {
    fc.assert(
      fc.property(policySet, requestTarget, knowledge, knowledge, (set, target, known, learned) => {
        const full = refine(refine(known, learned), {
          's3:prefix': null,
          'aws:SourceVpce': null,
          'aws:PrincipalTag/team': null,
        });
        expect(evaluate(set, requestWith(target.action, target.resource, full)).decision).not.toBe('unknown');
        const partial = evaluate(set, requestWith(target.action, target.resource, known));
        if (partial.decision === 'unknown') {
          expect(partial.unknown?.length).toBeGreaterThan(0);
          for (const statement of partial.unknown ?? []) expect(statement.keys.length).toBeGreaterThan(0);
        } else expect(partial.unknown).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('a decided answer holds in every world that fixes the unknown keys', () => {
    fc.assert(
      fc.property(policySet, requestTarget, knowledge, (set, target, known) => {
        const decision = evaluate(set, requestWith(target.action, target.resource, known)).decision;
        if (decision === 'unknown') return;
        for (const learned of [
          { 's3:prefix': null, 'aws:SourceVpce': null, 'aws:PrincipalTag/team': null },
          { 's3:prefix': 'a', 'aws:SourceVpce': 'a', 'aws:PrincipalTag/team': 'a' },
          { 's3:prefix': 'bx', 'aws:SourceVpce': 'vpce-1', 'aws:PrincipalTag/team': 'bucket' },
        ])
          expect(
            outcome(evaluate(set, requestWith(target.action, target.resource, refine(known, learned))).decision),
          ).toBe(outcome(decision));
      }),
      { numRuns: 800 },
    );
  });
});

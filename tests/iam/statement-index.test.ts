// Large statement lists are narrowed by the literal start of their resource patterns, and identical statements
// are decided once (a role shared by many state machines, issue 16 item 3). Narrowing must never change a
// decision: indexed evaluation is compared with evaluation of the same statements below the index threshold.
import fc from 'fast-check';
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest, type Evaluation } from '../../lib/iam';
import { arnMatches, globMatch, literalPrefix } from '../../lib/iam/match';
import { PrefixIndex } from '../../lib/iam/prefix-index';
import { statementSignature } from '../../lib/iam/statement-index';
import { OverlapIndex } from '../../lib/checks/overlap-index';
import { sampleResource } from '../../lib/needs/context';

const chars = fc.constantFrom('a', 'b', ':', '/', '*', '?', '-');
const pattern = fc.array(chars, { maxLength: 8 }).map((c) => c.join(''));
const arnish = fc
  .tuple(fc.constantFrom('arn:aws:s3:::', 'arn:aws:states:us-east-1:1:', 'arn:*:s3:::', ''), pattern)
  .map(([head, tail]) => head + tail);
const value = fc
  .tuple(
    fc.constantFrom('arn:aws:s3:::', 'arn:aws:states:us-east-1:1:', ''),
    fc.array(fc.constantFrom('a', 'b', ':', '/', '-'), { maxLength: 8 }),
  )
  .map(([head, tail]) => head + tail.join(''));

describe('literalPrefix', () => {
  it('begins every value a pattern matches, as glob or as ARN', () => {
    fc.assert(
      fc.property(arnish, value, (p, v) => {
        if (globMatch(p, v) || arnMatches(p, v)) expect(v.startsWith(literalPrefix(p))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('stops at the sentinels substitution writes for ${*} and ${?}', () => {
    expect(literalPrefix('arn:aws:s3:::a\uE000b')).toBe('arn:aws:s3:::a');
  });
});

describe('PrefixIndex', () => {
  it('offers every pattern that matches a value', () => {
    fc.assert(
      fc.property(fc.array(arnish, { maxLength: 30 }), value, (patterns, v) => {
        const index = new PrefixIndex<string>();
        for (const p of patterns) index.add(p, p);
        const offered = new Set(index.candidates(v));
        for (const p of patterns) if (arnMatches(p, v)) expect(offered.has(p)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('OverlapIndex', () => {
  it('finds exactly the resources a brute-force overlap test finds', () => {
    fc.assert(
      fc.property(fc.array(arnish, { maxLength: 30 }), arnish, (resources, p) => {
        const index = new OverlapIndex(resources.map((r, i) => [r, i] as const));
        const brute = resources
          .map((r, i) => [r, i] as const)
          .filter(([r]) => arnMatches(p, sampleResource(r)) || arnMatches(r, sampleResource(p)))
          .map(([, i]) => i);
        expect(index.overlapping(p).sort((a, b) => a - b)).toEqual(brute);
        expect(index.overlaps(p)).toBe(brute.length > 0);
      }),
      { numRuns: 1000 },
    );
  });
});

const resources = ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/key', 'arn:aws:s3:::other/in/x', 'arn:aws:s3:::b'];
const resourceList = fc.array(
  fc.oneof(
    fc.constantFrom(...resources),
    fc.constantFrom(...resources).map((r) => `${r.slice(0, -2)}*`),
    fc.constant('*'),
    fc.constantFrom('arn:aws:s3:::${aws:username}/*', "arn:aws:s3:::${aws:username, 'bucket'}"),
  ),
  { minLength: 1, maxLength: 2 },
);
const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    Action: fc.constantFrom('s3:GetObject', 's3:*', 's3:List*', '*'),
    Resource: resourceList,
    Condition: fc.option(fc.constant({ StringLike: { 's3:prefix': 'in/*' } }), { nil: undefined }),
    negate: fc.constantFrom('none', 'none', 'action', 'resource'),
  })
  .map(({ negate, Action, Resource, ...rest }) => ({
    ...rest,
    ...(negate === 'action' ? { NotAction: Action } : { Action }),
    ...(negate === 'resource' ? { NotResource: Resource } : { Resource }),
  }));
const request = fc.record({
  action: fc.constantFrom('s3:GetObject', 's3:ListBucket'),
  resource: fc.constantFrom(...resources),
  context: fc.constantFrom<Record<string, string[]> | undefined>(
    undefined,
    { 's3:prefix': ['in/'] },
    { 'aws:username': ['bucket'] },
  ),
});
const setOf = (statements: unknown[]) =>
  compilePolicySet({ identity: [parsePolicy({ Version: '2012-10-17', Statement: statements }, 'p').policy] });
// Statements on the same service that can never apply: they make the list long enough to be indexed.
const padding = Array.from({ length: 40 }, (_, i) => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::never-${i}/*`,
}));
const shape = (e: Evaluation) => ({
  decision: e.decision,
  matched: e.matched.map((m) => m.index),
  missing: e.missingContextKeys,
  unknown: (e.unknown ?? []).map((u) => u.index),
});

describe('indexed evaluation', () => {
  it('decides as the unindexed evaluation of the same statements', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 8 }), request, (statements, r) => {
        const plain = shape(evaluate(setOf(statements), r as AccessRequest));
        const indexed = shape(evaluate(setOf([...statements, ...padding]), r as AccessRequest));
        expect(indexed).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  });

  it('decides a statement listing many resources as the same statement listing only the ones that could match', () => {
    const many = Array.from({ length: 40 }, (_, i) => `arn:aws:s3:::never-${i}/*`);
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 6 }), request, (statements, r) => {
        const widened = statements.map((st) =>
          'Resource' in st ? { ...st, Resource: [...(st.Resource as string[]), ...many] } : st,
        );
        expect(shape(evaluate(setOf(widened), r as AccessRequest))).toEqual(
          shape(evaluate(setOf(statements), r as AccessRequest)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('decides identical statements once, naming the first of them', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 6 }), request, (statements, r) => {
        const plain = shape(evaluate(setOf(statements), r as AccessRequest));
        const twice = shape(evaluate(setOf([...statements, ...statements]), r as AccessRequest));
        expect(twice).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('statementSignature', () => {
  const base = { policyId: 'p', index: 0, effect: 'Allow' as const, resource: ['*'], source: {} };
  it('compares actions without case, as IAM does, and tells Versions apart', () => {
    const lower = statementSignature({ ...base, action: ['s3:getobject'] }, true);
    expect(statementSignature({ ...base, action: ['S3:GetObject'] }, true)).toBe(lower);
    expect(statementSignature({ ...base, action: ['s3:getobject'] }, false)).not.toBe(lower);
    expect(statementSignature({ ...base, notAction: ['s3:getobject'] }, true)).not.toBe(lower);
  });
});

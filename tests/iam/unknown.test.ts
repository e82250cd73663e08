// Three-valued evaluation: statements whose condition needs a key dmap-guard cannot know.
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest } from '../../lib/iam';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent';
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const allowAll = { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' };
const ipDeny = {
  Sid: 'OnlyFromOffice',
  Effect: 'Deny',
  Action: '*',
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:SourceIp': '10.0.0.1' } },
};
const request = (missingKeys?: AccessRequest['missingKeys'], context?: Record<string, string[]>): AccessRequest => ({
  action: 'states:StartExecution',
  resource: SM,
  ...(context ? { context } : {}),
  ...(missingKeys ? { missingKeys } : {}),
});
const run = (policies: { identity: unknown[]; boundary?: unknown; scps?: unknown[][] }, r: AccessRequest) =>
  evaluate(
    compilePolicySet({
      identity: policies.identity.map((d, i) => parsePolicy(d, `identity.${i}`).policy),
      ...(policies.boundary ? { boundary: parsePolicy(policies.boundary, 'boundary').policy } : {}),
      ...(policies.scps ? { scps: policies.scps.map((l) => l.map((d, i) => parsePolicy(d, `scp.${i}`).policy)) } : {}),
    }),
    r,
  );

describe('unknown keys (a key not in the context is unknown unless declared absent)', () => {
  it('an unknown Deny makes an otherwise allowed request unknown, naming the statement and the key', () => {
    const evaluation = run({ identity: [doc(allowAll, ipDeny)] }, request());
    expect(evaluation.decision).toBe('unknown');
    expect(evaluation.unknown).toEqual([
      expect.objectContaining({
        layer: 'identity',
        policyId: 'identity.0',
        index: 1,
        sid: 'OnlyFromOffice',
        effect: 'Deny',
        keys: ['aws:SourceIp'],
      }),
    ]);
  });

  it('the same Deny applies when the key is known to be absent (negated operator, missing key)', () => {
    expect(run({ identity: [doc(allowAll, ipDeny)] }, request('absent')).decision).toBe('explicitDeny');
  });

  it('and does not apply when the key has a matching value', () => {
    expect(
      run({ identity: [doc(allowAll, ipDeny)] }, request(undefined, { 'aws:SourceIp': ['10.0.0.1'] })).decision,
    ).toBe('allowed');
  });

  it('an explicit Deny that applies decides, whatever else is unknown', () => {
    const deny = { Effect: 'Deny', Action: 'states:*', Resource: '*' };
    expect(run({ identity: [doc(allowAll, ipDeny, deny)] }, request()).decision).toBe('explicitDeny');
  });

  it('an unknown Allow where another Allow applies leaves the request allowed', () => {
    const conditional = { ...allowAll, Sid: 'Tagged', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } };
    expect(run({ identity: [doc(conditional, allowAll)] }, request()).decision).toBe('allowed');
  });

  it('an unknown Allow alone is unknown; without any Allow the request is denied whatever the Deny is', () => {
    const conditional = { ...allowAll, Sid: 'Tagged', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } };
    const only = run({ identity: [doc(conditional)] }, request());
    expect(only.decision).toBe('unknown');
    expect(only.unknown?.map((s) => s.keys)).toEqual([['aws:ResourceTag/env']]);
    const none = run({ identity: [doc({ ...allowAll, Action: 's3:*' }, ipDeny)] }, request());
    expect(none.decision).toBe('implicitDeny');
  });

  it('a policy variable with an unknown value leaves a resource pattern undecided', () => {
    const own = {
      Effect: 'Allow',
      Action: 'states:*',
      Resource: 'arn:aws:states:*:*:stateMachine:${aws:PrincipalTag/team}',
    };
    const evaluation = run({ identity: [doc(own)] }, request());
    expect(evaluation.decision).toBe('unknown');
    expect(evaluation.unknown?.[0]?.keys).toEqual(['aws:PrincipalTag/team']);
    expect(run({ identity: [doc(own)] }, request('absent')).decision).toBe('implicitDeny');
    expect(run({ identity: [doc(own)] }, request(undefined, { 'aws:PrincipalTag/team': ['Parent'] })).decision).toBe(
      'allowed',
    );
  });

  it("a variable's default stands in only for an absent key, not an unknown one", () => {
    const own = {
      Effect: 'Allow',
      Action: 'states:*',
      Resource: "arn:aws:states:*:*:stateMachine:${aws:PrincipalTag/team, 'Parent'}",
    };
    expect(run({ identity: [doc(own)] }, request()).decision).toBe('unknown');
    expect(run({ identity: [doc(own)] }, request('absent')).decision).toBe('allowed');
    expect(run({ identity: [doc(own)] }, request(undefined, { 'aws:PrincipalTag/team': ['Other'] })).decision).toBe(
      'implicitDeny',
    );
  });

  it('a Null condition on an unknown key is undecided', () => {
    const pinned = { ...allowAll, Condition: { Null: { 'aws:SourceVpce': 'false' } } };
    expect(run({ identity: [doc(pinned)] }, request()).decision).toBe('unknown');
    expect(run({ identity: [doc(pinned)] }, request('absent')).decision).toBe('implicitDeny');
  });

  it('the boundary and SCP layers are three-valued too', () => {
    const tagged = { ...allowAll, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } };
    const boundary = run({ identity: [doc(allowAll)], boundary: doc(tagged) }, request());
    expect(boundary.decision).toBe('unknown');
    expect(boundary.unknown?.[0]?.layer).toBe('boundary');
    const scp = run({ identity: [doc(allowAll)], scps: [[doc(allowAll, ipDeny)]] }, request());
    expect(scp.decision).toBe('unknown');
    expect(scp.unknown?.[0]?.layer).toBe('scp');
    expect(run({ identity: [doc(allowAll)], scps: [[doc(tagged)]] }, request('absent')).decision).toBe('implicitDeny');
  });

  it('per-key knowledge: only the keys the lookup calls unknown are undecided', () => {
    const missingKeys = (key: string) => (key === 'aws:sourceip' ? 'absent' : 'unknown');
    expect(run({ identity: [doc(allowAll, ipDeny)] }, request(missingKeys)).decision).toBe('explicitDeny');
  });
});

// IamSimulator: the Simulator port on iam:SimulatePrincipalPolicy, mocked at the SDK.
import { IAMClient, SimulatePrincipalPolicyCommand, type ContextEntry } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { IamSimulator, SimulationCache, SIMULATIONS_IN_FLIGHT } from '../../lib/aws/simulate';
import type { AccessRequest } from '../../lib/iam';

const iam = mockClient(IAMClient);
const ROLE = 'arn:aws:iam::123456789012:role/orders-dmap-role';
const BUCKET = 'arn:aws:s3:::orders';
const role = { arn: ROLE, identityPolicies: [], unknown: [] };
const simulator = () => new IamSimulator(new IAMClient({ region: 'us-east-1' }));

beforeEach(() => iam.reset());

/** n requests differing only in their ItemReader prefix: n request contexts. */
const prefixes = (n: number): AccessRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    action: 's3:ListBucket',
    resource: BUCKET,
    context: { 's3:prefix': [`in/${i}/`] },
    missingKeys: 'absent' as const,
  }));

/** A fake IAM that allows s3:ListBucket only for the prefix "in/" (as `StringLike s3:prefix in/*` would). */
function allowPrefixIn() {
  iam
    .on(SimulatePrincipalPolicyCommand)
    .callsFake((input: { ActionNames: string[]; ResourceArns: string[]; ContextEntries?: ContextEntry[] }) => {
      const prefix = input.ContextEntries?.find((e) => e.ContextKeyName === 's3:prefix')?.ContextKeyValues?.[0] ?? '';
      const decision = prefix.startsWith('in/') ? 'allowed' : 'implicitDeny';
      return {
        EvaluationResults: input.ActionNames.map((action) => ({
          EvalActionName: action,
          EvalDecision: decision,
          ResourceSpecificResults: input.ResourceArns.map((resource) => ({
            EvalResourceName: resource,
            EvalResourceDecision: decision,
          })),
        })),
      };
    });
}

describe('IamSimulator', () => {
  // Issue 10 item 5: results were keyed by action|resource, so requests differing only in context overwrote each other.
  it('keeps the results of requests that differ only in context apart', async () => {
    allowPrefixIn();
    const results = await simulator().simulate(role, [
      { action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': ['in/'] }, missingKeys: 'absent' },
      { action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': ['out/'] }, missingKeys: 'absent' },
    ]);
    expect(results.map((r) => r.decision)).toEqual(['allowed', 'implicitDeny']);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(2);
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html: ContextKeyType per key.
  it('sends each context key with its ContextKeyType', async () => {
    allowPrefixIn();
    await simulator().simulate(role, [
      {
        action: 'kms:Decrypt',
        resource: 'arn:aws:kms:us-east-1:123456789012:key/k',
        context: {
          'aws:SecureTransport': ['true'],
          'aws:EpochTime': ['1700000000'],
          'aws:CurrentTime': ['2026-12-01T00:00:00.000Z'],
          'kms:EncryptionContextKeys': ['aws:s3:arn'],
          'kms:ViaService': ['s3.us-east-1.amazonaws.com'],
        },
      },
    ]);
    expect(iam).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      ContextEntries: [
        { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
        { ContextKeyName: 'aws:EpochTime', ContextKeyValues: ['1700000000'], ContextKeyType: 'numeric' },
        { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2026-12-01T00:00:00.000Z'], ContextKeyType: 'date' },
        { ContextKeyName: 'kms:EncryptionContextKeys', ContextKeyValues: ['aws:s3:arn'], ContextKeyType: 'stringList' },
        {
          ContextKeyName: 'kms:ViaService',
          ContextKeyValues: ['s3.us-east-1.amazonaws.com'],
          ContextKeyType: 'string',
        },
      ],
    });
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResourceSpecificResult.html: MissingContextValues are keys
  // the policies need that were not provided; the simulator still decides as if they were absent.
  it('makes a decision unknown when IAM evaluated a key dmap-guard cannot know, and keeps it for a known-absent key', async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        {
          EvalActionName: 's3:GetObject',
          EvalDecision: 'explicitDeny',
          ResourceSpecificResults: [
            {
              EvalResourceName: `${BUCKET}/k`,
              EvalResourceDecision: 'explicitDeny',
              MissingContextValues: ['aws:SourceIp'],
              MatchedStatements: [{ SourcePolicyId: 'perimeter' }],
            },
            {
              EvalResourceName: `${BUCKET}/v`,
              EvalResourceDecision: 'explicitDeny',
              MissingContextValues: ['aws:SourceVpce'],
              MatchedStatements: [{ SourcePolicyId: 'perimeter' }],
            },
          ],
        },
      ],
    });
    const known = (key: string) => (key === 'aws:sourcevpce' ? 'absent' : 'unknown');
    const requests: AccessRequest[] = [
      { action: 's3:GetObject', resource: `${BUCKET}/k`, context: {}, missingKeys: known },
      { action: 's3:GetObject', resource: `${BUCKET}/v`, context: {}, missingKeys: known },
    ];
    const [ip, vpce] = await simulator().simulate(role, requests);
    expect(ip).toMatchObject({
      decision: 'unknown',
      missingContextKeys: ['aws:SourceIp'],
      unknown: [expect.objectContaining({ policyId: 'perimeter', keys: ['aws:SourceIp'] })],
    });
    expect(vpce).toMatchObject({ decision: 'explicitDeny', missingContextKeys: ['aws:SourceVpce'] });
  });

  it('answers unknown, not denied, for a request IAM returned no result for', async () => {
    iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [] });
    const [result] = await simulator().simulate(role, [{ action: 's3:GetObject', resource: `${BUCKET}/k` }]);
    expect(result?.decision).toBe('unknown');
  });

  it('marks its decisions as made on the whole role, so unread parts of the role do not weaken a denial', async () => {
    allowPrefixIn();
    const [result] = await simulator().simulate({ ...role, unknown: ['role could not be read (AccessDenied)'] }, [
      { action: 's3:ListBucket', resource: BUCKET, context: { 's3:prefix': ['out/'] }, missingKeys: 'absent' },
    ]);
    expect(result).toMatchObject({ decision: 'implicitDeny', wholeRole: true });
  });
});

describe('IamSimulator round trips (issue 16 item 10)', () => {
  /** A fake IAM that allows everything after `delayMs`, counting the calls in flight. */
  function allowAllSlowly(delayMs: number) {
    const seen = { inFlight: 0, maxInFlight: 0 };
    iam
      .on(SimulatePrincipalPolicyCommand)
      .callsFake(async (input: { ActionNames: string[]; ResourceArns: string[] }) => {
        seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        seen.inFlight--;
        return {
          EvaluationResults: input.ActionNames.map((action) => ({
            EvalActionName: action,
            EvalDecision: 'allowed',
            ResourceSpecificResults: input.ResourceArns.map((resource) => ({
              EvalResourceName: resource,
              EvalResourceDecision: 'allowed',
            })),
          })),
        };
      });
    return seen;
  }

  it('never has more than the bound in flight, and does run calls side by side', async () => {
    const seen = allowAllSlowly(20);
    const results = await new IamSimulator(new IAMClient({ region: 'us-east-1' }), [], undefined, {
      concurrency: 4,
    }).simulate(role, prefixes(12));
    expect(results.every((r) => r.decision === 'allowed')).toBe(true);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(12);
    expect(seen.maxInFlight).toBe(4);
  });

  it('keeps the default bound at SIMULATIONS_IN_FLIGHT', async () => {
    const seen = allowAllSlowly(10);
    await simulator().simulate(role, prefixes(3 * SIMULATIONS_IN_FLIGHT));
    expect(seen.maxInFlight).toBe(SIMULATIONS_IN_FLIGHT);
  });

  it('asks a request once per cache: again later, at the same time, and from another simulator of the backend', async () => {
    allowAllSlowly(5);
    const cache = new SimulationCache();
    const client = new IAMClient({ region: 'us-east-1' });
    const first = new IamSimulator(client, [], undefined, { cache });
    const second = new IamSimulator(client, [], undefined, { cache });
    const requests = prefixes(2);
    await Promise.all([first.simulate(role, requests), second.simulate(role, requests)]);
    await first.simulate(role, [...requests, ...requests]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(2);
    expect(first.calls + second.calls).toBe(2);
  });

  it('asks again for another role, other pending policies or another context', async () => {
    allowAllSlowly(0);
    const cache = new SimulationCache();
    const client = new IAMClient({ region: 'us-east-1' });
    const [request] = prefixes(1) as [AccessRequest];
    await new IamSimulator(client, [], undefined, { cache }).simulate(role, [request]);
    await new IamSimulator(client, [], undefined, { cache }).simulate({ ...role, arn: `${ROLE}-2` }, [request]);
    await new IamSimulator(client, [{ Statement: [] }], undefined, { cache }).simulate(role, [request]);
    await new IamSimulator(client, [], undefined, { cache }).simulate(role, [{ ...request, context: {} }]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(4);
  });

  it('fails every request of a verdict when one call fails, and starts no further call', async () => {
    let calls = 0;
    iam.on(SimulatePrincipalPolicyCommand).callsFake(async () => {
      calls++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: {} });
    });
    const cache = new SimulationCache();
    const one = new IamSimulator(new IAMClient({ region: 'us-east-1' }), [], undefined, { cache, concurrency: 2 });
    await expect(one.simulate(role, prefixes(10))).rejects.toThrow('Rate exceeded');
    expect(calls).toBeLessThanOrEqual(2);
    // Later verdicts get the failure from the cache rather than hanging on a call that never ran.
    await expect(one.simulate(role, prefixes(10).slice(9))).rejects.toThrow('Rate exceeded');
  });
});

// IamSimulator: the Simulator port on iam:SimulatePrincipalPolicy, mocked at the SDK.
import { IAMClient, SimulatePrincipalPolicyCommand, type ContextEntry } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { IamSimulator } from '../../lib/aws/simulate';
import type { AccessRequest } from '../../lib/iam';

const iam = mockClient(IAMClient);
const ROLE = 'arn:aws:iam::123456789012:role/orders-dmap-role';
const BUCKET = 'arn:aws:s3:::orders';
const role = { arn: ROLE, identityPolicies: [], unknown: [] };
const simulator = () => new IamSimulator(new IAMClient({ region: 'us-east-1' }));

beforeEach(() => iam.reset());

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

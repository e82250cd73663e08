// IamSimulator through the real SDK to a loopback IAM stub: what aws-sdk-client-mock cannot show, because it
// replaces the client's send and with it the SDK's retries.
import { IamSimulator, SIMULATIONS_IN_FLIGHT } from '../../lib/aws/simulate';
import type { AccessRequest } from '../../lib/iam';
import { startIamStub, stubClient, type IamStub } from '../helpers/iam-stub';

const role = { arn: 'arn:aws:iam::123456789012:role/orders-dmap-role', identityPolicies: [], unknown: [] };
const prefixes = (n: number): AccessRequest[] =>
  Array.from({ length: n }, (_, i) => ({
    action: 's3:ListBucket',
    resource: 'arn:aws:s3:::orders',
    context: { 's3:prefix': [`in/${i}/`] },
    missingKeys: 'absent' as const,
  }));

describe('IamSimulator through the real SDK (loopback IAM stub)', () => {
  let stub: IamStub;
  beforeAll(async () => {
    stub = await startIamStub();
  });
  afterAll(() => stub.close());

  // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html: the standard retry mode retries
  // throttling errors with backoff; calls side by side must not lose that.
  it('still has the SDK retry throttled calls when calls run side by side', async () => {
    stub.fault = 'throttle-twice';
    stub.requests = 0;
    stub.latencyMs = 10;
    const results = await new IamSimulator(stubClient(stub)).simulate(role, prefixes(12));
    expect(results.every((r) => r.decision === 'allowed')).toBe(true);
    expect(stub.requests).toBe(14); // 12 calls, the first two throttled once each and retried
    expect(stub.maxInFlight).toBeLessThanOrEqual(SIMULATIONS_IN_FLIGHT);
    expect(stub.maxInFlight).toBeGreaterThan(1);
  });
});

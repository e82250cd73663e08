// The custom resource answers once, within CloudFormation's 4 KB, and only to an https presigned S3 URL.
import { fitResponse, isResponseUrl, MAX_RESPONSE_BYTES } from '../../lib/lambda/custom-resource';

const base = { PhysicalResourceId: 'p', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' };

describe('fitResponse', () => {
  it.each([
    ['a long ASCII reason', 'x'.repeat(20_000)],
    ['multi-byte characters', '€'.repeat(5_000)],
    ['characters JSON escapes', '"\\\n'.repeat(3_000)],
    ['a one-character overflow', 'y'.repeat(MAX_RESPONSE_BYTES)],
  ])('ends and fits with %s', (_name, reason) => {
    const fitted = fitResponse({ Status: 'FAILED', Reason: reason, ...base });
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(fitted.Reason?.endsWith('…')).toBe(true);
  });

  it('ends when even an empty reason cannot fit (the other fields are too long)', () => {
    const fitted = fitResponse({ Status: 'FAILED', Reason: 'z', ...base, LogicalResourceId: 'l'.repeat(5_000) });
    expect(fitted.Reason).toBe('…');
  });

  it('leaves a response that fits as it is', () => {
    const response = { Status: 'SUCCESS' as const, Reason: 'ok', ...base };
    expect(fitResponse(response)).toBe(response);
  });
});

describe('isResponseUrl', () => {
  it.each([
    ['https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3A?X-Amz-Signature=1', true],
    ['https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/x', true],
    ['http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x', false],
    ['https://example.com/x', false],
    ['https://s3.amazonaws.com.evil.example/x', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isResponseUrl(url)).toBe(expected);
  });
});

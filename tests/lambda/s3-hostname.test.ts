// The ResponseURL host check accepts what `/(^|\.)s3[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$/` accepted.
import fc from 'fast-check';
import { isResponseUrl, isS3Hostname } from '../../lib/lambda/custom-resource';

const oracle = (host: string) => /(^|\.)s3[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$/.test(host);

test.each([
  's3.amazonaws.com',
  'cloudformation-custom-resource-response-useast1.s3.amazonaws.com',
  'bucket.s3.us-east-1.amazonaws.com',
  's3-external-1.amazonaws.com',
  's3-amazonaws.com',
  'b.s3.cn-north-1.amazonaws.com.cn',
  'b.s3.cn-north-1.amazonaws.com.cn.',
  'xs3.amazonaws.com',
  's3.amazonaws.cn',
  's3-.amazonaws.com',
  's3.s3-.amazonaws.com',
  's3.A.amazonaws.com',
  'A.s3.amazonaws.com',
  'evil.com',
  's3.amazonaws.com.evil.com',
  's3..amazonaws.com',
  'amazonaws.com',
])('%j as the regex', (host) => expect(isS3Hostname(host)).toBe(oracle(host)));

test('any host', () =>
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('s3', '.', '-', 'a', 'A', 'amazonaws', 'com', 'cn'), maxLength: 16 }),
      (host) => expect(isS3Hostname(host)).toBe(oracle(host)),
    ),
    { numRuns: 3000 },
  ));

test('URLs', () => {
  expect(isResponseUrl('https://b.s3.us-east-1.amazonaws.com/x?sig=1')).toBe(true);
  expect(isResponseUrl('http://b.s3.us-east-1.amazonaws.com/x')).toBe(false);
  expect(isResponseUrl('https://s3.amazonaws.com.evil.com/x')).toBe(false);
});

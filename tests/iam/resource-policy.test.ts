// Principals in resource policies, for an execution role's session.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
import { evaluateResourcePolicy, parseResourcePolicy, principalMatch } from '../../lib/iam/resource-policy';

const ROLE = 'arn:aws:iam::111122223333:role/service-role/MapRole';
const principal = { roleArn: ROLE, account: '111122223333' };

describe('principalMatch', () => {
  it.each([
    ['the role ARN', { Principal: { AWS: ROLE } }, 'role'],
    ['"*"', { Principal: '*' }, 'role'],
    ['{"AWS": "*"}', { Principal: { AWS: '*' } }, 'role'],
    ['the account root', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }, 'account'],
    ['the bare account id', { Principal: { AWS: '111122223333' } }, 'account'],
    ['another account', { Principal: { AWS: 'arn:aws:iam::444455556666:root' } }, false],
    ['another role', { Principal: { AWS: 'arn:aws:iam::111122223333:role/Other' } }, false],
    ['a list with the account and the role', { Principal: { AWS: ['111122223333', ROLE] } }, 'role'],
    ['the Step Functions service principal', { Principal: { Service: 'states.amazonaws.com' } }, false],
    ['a federated principal', { Principal: { Federated: 'cognito-identity.amazonaws.com' } }, false],
    [
      'a session of the role (name not known)',
      { Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/MapRole/s' } },
      'unknown',
    ],
    ['NotPrincipal naming another role', { NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/Other' } }, 'role'],
    // Listing the role ARN or the account does not exclude a session of the role.
    ['NotPrincipal naming the role and its account', { NotPrincipal: { AWS: [ROLE, '111122223333'] } }, 'role'],
    [
      'NotPrincipal naming a session of the role',
      { NotPrincipal: { AWS: ['arn:aws:sts::111122223333:assumed-role/MapRole/x', '111122223333'] } },
      'unknown',
    ],
  ])('%s', (_name, statement, expected) => {
    expect(principalMatch(statement, principal)).toBe(expected);
  });
});

const request = (action: string, resource: string, context: Record<string, string[]> = {}) => ({
  action,
  resource,
  context: {
    'aws:PrincipalArn': [ROLE],
    'aws:PrincipalAccount': ['111122223333'],
    'aws:SecureTransport': ['true'],
    ...context,
  },
  missingKeys: (key: string) => (key === 'aws:sourcevpce' ? ('absent' as const) : ('unknown' as const)),
});

describe('evaluateResourcePolicy', () => {
  const policy = (...statements: unknown[]) =>
    parseResourcePolicy({ Version: '2012-10-17', Statement: statements }, 'bucket policy of b');
  const get = request('s3:GetObject', 'arn:aws:s3:::b/k');

  it.each([
    [
      'an Allow for the role',
      [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
      { allowsRole: true, allowsAccount: false, denies: false },
    ],
    [
      'an Allow for the account',
      [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' }],
      { allowsRole: false, allowsAccount: true, denies: false },
    ],
    [
      'an Allow on another bucket',
      [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }],
      { allowsRole: false, allowsAccount: false, denies: false },
    ],
    [
      'a TLS-only Deny (aws:SecureTransport is true)',
      [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
      { allowsRole: false, allowsAccount: false, denies: false },
    ],
    [
      'a VPC-endpoint-only Deny (Step Functions sends no aws:SourceVpce)',
      [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
      { allowsRole: false, allowsAccount: false, denies: true },
    ],
    [
      'a Deny for principals outside an allow-list without the role',
      [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Loader' } },
        },
      ],
      { allowsRole: false, allowsAccount: false, denies: true },
    ],
    [
      'a Deny for principals outside an allow-list with the role',
      [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } },
        },
      ],
      { allowsRole: false, allowsAccount: false, denies: false },
    ],
    [
      'an Allow on aws:PrincipalOrgID (not known)',
      [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
        },
      ],
      { allowsRole: 'unknown', allowsAccount: false, denies: false },
    ],
    [
      'a service-principal Allow',
      [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 's3:*', Resource: '*' }],
      { allowsRole: false, allowsAccount: false, denies: false },
    ],
  ])('%s', (_name, statements, expected) => {
    const result = evaluateResourcePolicy(policy(...statements), principal, get);
    expect({ allowsRole: result.allowsRole, allowsAccount: result.allowsAccount, denies: result.denies }).toEqual(
      expected,
    );
  });

  it('names the undecided statement and its key', () => {
    const result = evaluateResourcePolicy(
      policy({
        Sid: 'Org',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
      }),
      principal,
      get,
    );
    expect(result.statements).toEqual([expect.objectContaining({ sid: 'Org', keys: ['aws:PrincipalOrgID'] })]);
  });

  it('leaves out statements without exactly one of Principal and NotPrincipal, and says so', () => {
    const parsed = policy(
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
    );
    expect(parsed.statements.map((s) => s.statement.index)).toEqual([1]);
    expect(parsed.problems).toEqual([expect.objectContaining({ path: '$.Statement[0]' })]);
  });
});

import { compilePolicySet, evaluate, parsePolicy, type AccessRequest, type Decision } from '../../lib/iam';

const ROLE = 'arn:aws:iam::123456789012:role/SfnRole';
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent';

type Doc = Record<string, unknown>;
const allow = (Action: unknown, Resource: unknown, extra: Doc = {}): Doc => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const deny = (Action: unknown, Resource: unknown, extra: Doc = {}): Doc => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...extra,
});
const doc = (...Statement: Doc[]): Doc => ({ Version: '2012-10-17', Statement });

interface Scenario {
  identity: Doc[];
  boundary?: Doc;
  scps?: Doc[][];
  request: AccessRequest;
  decision: Decision;
  blockedBy?: string;
}

function decide(s: Scenario) {
  const policy = (d: Doc, id: string) => parsePolicy(d, id).policy;
  const set = compilePolicySet({
    identity: s.identity.map((d, i) => policy(d, `identity.${i + 1}`)),
    ...(s.boundary ? { boundary: policy(s.boundary, 'boundary') } : {}),
    ...(s.scps ? { scps: s.scps.map((level, l) => level.map((d, i) => policy(d, `scp.${l}.${i}`))) } : {}),
  });
  return evaluate(set, s.request);
}

const req = (action: string, resource: string, context?: Record<string, string[]>): AccessRequest => ({
  action,
  resource,
  ...(context ? { context } : {}),
});

describe('evaluate (IAM User Guide: policy evaluation logic)', () => {
  it.each<[string, Scenario]>([
    [
      'an identity allow allows',
      {
        identity: [doc(allow('states:StartExecution', SM))],
        request: req('states:StartExecution', SM),
        decision: 'allowed',
      },
    ],
    [
      'no statement is an implicit deny',
      {
        identity: [doc(allow('s3:GetObject', '*'))],
        request: req('states:StartExecution', SM),
        decision: 'implicitDeny',
        blockedBy: 'identity',
      },
    ],
    [
      'actions are case-insensitive',
      { identity: [doc(allow('STATES:start*', SM))], request: req('states:StartExecution', SM), decision: 'allowed' },
    ],
    [
      'resources are case-sensitive',
      {
        identity: [doc(allow('s3:ListBucket', 'arn:aws:s3:::Bucket'))],
        request: req('s3:ListBucket', 'arn:aws:s3:::bucket'),
        decision: 'implicitDeny',
      },
    ],
    [
      '? matches one character',
      {
        identity: [doc(allow('states:?topExecution', '*'))],
        request: req('states:StopExecution', 'x'),
        decision: 'allowed',
      },
    ],
    [
      '* in the resource part spans / and :',
      {
        identity: [doc(allow('states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent*'))],
        request: req('states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent/label:abc'),
        decision: 'allowed',
      },
    ],
    [
      '* does not cross the region/account segments',
      {
        identity: [doc(allow('states:DescribeExecution', 'arn:aws:states:*:execution:*'))],
        request: req('states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent:abc'),
        decision: 'implicitDeny',
      },
    ],
    [
      'execution:<name>:* does not reach labelled child executions',
      {
        identity: [doc(allow('states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent:*'))],
        request: req('states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent/label:abc'),
        decision: 'implicitDeny',
      },
    ],
    [
      'an explicit deny wins over an allow',
      {
        identity: [doc(allow('states:*', '*'), deny('states:StopExecution', '*', { Sid: 'NoStop' }))],
        request: req('states:StopExecution', SM),
        decision: 'explicitDeny',
        blockedBy: 'identity',
      },
    ],
    [
      'a deny in another policy still wins',
      {
        identity: [doc(allow('s3:*', '*')), doc(deny('s3:GetObject', 'arn:aws:s3:::secret/*'))],
        request: req('s3:GetObject', 'arn:aws:s3:::secret/k'),
        decision: 'explicitDeny',
      },
    ],
    [
      'NotAction allows everything else',
      {
        identity: [
          {
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
          },
        ],
        request: req('states:StartExecution', SM),
        decision: 'allowed',
      },
    ],
    [
      'NotAction does not allow what it lists',
      {
        identity: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' } }],
        request: req('iam:PassRole', ROLE),
        decision: 'implicitDeny',
      },
    ],
    [
      'NotResource deny hits other resources',
      {
        identity: [
          doc(allow('s3:*', '*'), {
            Effect: 'Deny',
            Action: 's3:*',
            NotResource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'],
          }),
        ],
        request: req('s3:GetObject', 'arn:aws:s3:::other/k'),
        decision: 'explicitDeny',
      },
    ],
    [
      'NotResource deny spares the listed resources',
      {
        identity: [
          doc(allow('s3:*', '*'), {
            Effect: 'Deny',
            Action: 's3:*',
            NotResource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'],
          }),
        ],
        request: req('s3:GetObject', 'arn:aws:s3:::bucket/k'),
        decision: 'allowed',
      },
    ],
    [
      'a condition scopes the allow',
      {
        identity: [
          doc(allow('s3:ListBucket', 'arn:aws:s3:::b', { Condition: { StringLike: { 's3:prefix': ['data/*'] } } })),
        ],
        request: req('s3:ListBucket', 'arn:aws:s3:::b', { 's3:prefix': ['data/x'] }),
        decision: 'allowed',
      },
    ],
    [
      'a missing condition key fails a positive operator',
      {
        identity: [
          doc(allow('s3:ListBucket', 'arn:aws:s3:::b', { Condition: { StringLike: { 's3:prefix': ['data/*'] } } })),
        ],
        request: { ...req('s3:ListBucket', 'arn:aws:s3:::b'), missingKeys: 'absent' },
        decision: 'implicitDeny',
      },
    ],
    [
      'operators are ANDed',
      {
        identity: [
          doc(
            allow('s3:ListBucket', '*', {
              Condition: { StringLike: { 's3:prefix': ['a*'] }, StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
            }),
          ),
        ],
        request: req('s3:ListBucket', 'arn:aws:s3:::b', { 's3:prefix': ['ab'], 'aws:RequestedRegion': ['eu-west-1'] }),
        decision: 'implicitDeny',
      },
    ],
    [
      'the boundary must allow too',
      {
        identity: [doc(allow('states:*', '*'))],
        boundary: doc(allow(['states:StartExecution', 'states:DescribeExecution'], '*')),
        request: req('states:RedriveExecution', 'arn:aws:states:us-east-1:123456789012:execution:Parent/l:x'),
        decision: 'implicitDeny',
        blockedBy: 'boundary',
      },
    ],
    [
      'boundary and identity both allowing allows',
      {
        identity: [doc(allow('states:StartExecution', SM))],
        boundary: doc(allow('states:*', '*')),
        request: req('states:StartExecution', SM),
        decision: 'allowed',
      },
    ],
    [
      'a boundary alone grants nothing',
      {
        identity: [],
        boundary: doc(allow('*', '*')),
        request: req('states:StartExecution', SM),
        decision: 'implicitDeny',
        blockedBy: 'identity',
      },
    ],
    [
      'a deny in the boundary is an explicit deny',
      {
        identity: [doc(allow('*', '*'))],
        boundary: doc(allow('*', '*'), deny('kms:*', '*')),
        request: req('kms:Decrypt', 'arn:aws:kms:us-east-1:123456789012:key/k'),
        decision: 'explicitDeny',
        blockedBy: 'boundary',
      },
    ],
    [
      'every SCP level needs an allow',
      {
        identity: [doc(allow('*', '*'))],
        scps: [[doc(allow('*', '*'))], [doc(deny('iam:*', '*'))], [doc(allow('*', '*'))]],
        request: req('states:StartExecution', SM),
        decision: 'implicitDeny',
        blockedBy: 'scp',
      },
    ],
    [
      'SCPs allowing at every level allow',
      {
        identity: [doc(allow('states:StartExecution', SM))],
        scps: [[doc(allow('*', '*'))], [doc(allow('states:*', '*'))]],
        request: req('states:StartExecution', SM),
        decision: 'allowed',
      },
    ],
    [
      'an SCP deny with a negated operator and a missing key denies',
      {
        identity: [doc(allow('*', '*'))],
        scps: [
          [
            doc(
              allow('*', '*'),
              deny('*', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } }),
            ),
          ],
        ],
        request: { ...req('states:StartExecution', SM), missingKeys: 'absent' },
        decision: 'explicitDeny',
        blockedBy: 'scp',
      },
    ],
    [
      'resource variables resolve from the context',
      {
        identity: [doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:PrincipalTag/team}/*'))],
        request: req('s3:GetObject', 'arn:aws:s3:::home/data/x', { 'aws:PrincipalTag/team': ['data'] }),
        decision: 'allowed',
      },
    ],
    [
      'a resource variable without a value matches nothing',
      {
        identity: [doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:PrincipalTag/team}/*'))],
        request: { ...req('s3:GetObject', 'arn:aws:s3:::home//x'), missingKeys: 'absent' },
        decision: 'implicitDeny',
      },
    ],
    [
      'variables are literal text in a 2008-10-17 policy',
      {
        identity: [
          { Version: '2008-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')] },
        ],
        request: req('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/x', { 'aws:username': ['ana'] }),
        decision: 'allowed',
      },
    ],
    [
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html: variables are
      // literal strings in policies without Version 2012-10-17, conditions included.
      'condition variables are literal text in a 2008-10-17 policy',
      {
        identity: [
          {
            Version: '2008-10-17',
            Statement: [
              {
                ...allow('s3:ListBucket', 'arn:aws:s3:::home'),
                Condition: { StringEquals: { 's3:prefix': '${aws:username}' } },
              },
            ],
          },
        ],
        request: req('s3:ListBucket', 'arn:aws:s3:::home', { 's3:prefix': ['ana'], 'aws:username': ['ana'] }),
        decision: 'implicitDeny',
      },
    ],
    [
      'a comma inside an action is literal, not a list',
      {
        identity: [doc(allow('states:StartExecution,states:StopExecution', '*'))],
        request: req('states:StartExecution', SM),
        decision: 'implicitDeny',
      },
    ],
    [
      'Statement may be a single object',
      {
        identity: [{ Version: '2012-10-17', Statement: allow('states:StartExecution', SM) }],
        request: req('states:StartExecution', SM),
        decision: 'allowed',
      },
    ],
  ])('%s', (_name, scenario) => {
    const result = decide(scenario);
    expect(result.decision).toBe(scenario.decision);
    if (scenario.blockedBy) expect(result.blockedBy).toBe(scenario.blockedBy);
  });

  it('explains: matched statements with policy id and Sid, and missing context keys', () => {
    const result = decide({
      identity: [doc(allow('states:*', '*', { Sid: 'All' }), deny('states:StopExecution', '*', { Sid: 'NoStop' }))],
      request: req('states:StopExecution', SM),
      decision: 'explicitDeny',
    });
    expect(result.matched).toEqual([
      expect.objectContaining({ layer: 'identity', policyId: 'identity.1', sid: 'NoStop', index: 1, effect: 'Deny' }),
    ]);
    const missing = decide({
      identity: [doc(allow('s3:ListBucket', '*', { Condition: { StringLike: { 's3:prefix': ['a*'] } } }))],
      request: req('s3:ListBucket', 'arn:aws:s3:::b'),
      decision: 'implicitDeny',
    });
    expect(missing.missingContextKeys).toEqual(['s3:prefix']);
  });
});

describe('parsePolicy', () => {
  it.each<[string, unknown, string]>([
    ['not JSON', '{"Statement": [', '$'],
    ['no Statement', { Version: '2012-10-17' }, '$.Statement'],
    ['bad Effect', doc({ Effect: 'allow', Action: 'a:b', Resource: '*' }), '$.Statement[0].Effect'],
    [
      'both Action and NotAction',
      doc({ Effect: 'Allow', Action: 'a:b', NotAction: 'a:c', Resource: '*' }),
      '$.Statement[0]',
    ],
    ['no Resource', doc({ Effect: 'Allow', Action: 'a:b' }), '$.Statement[0]'],
    ['Action not strings', doc({ Effect: 'Allow', Action: [1], Resource: '*' }), '$.Statement[0].Action'],
    [
      'Principal in an identity policy',
      doc({ Effect: 'Allow', Principal: '*', Action: 'a:b', Resource: '*' }),
      '$.Statement[0].Principal',
    ],
    [
      'bad condition block',
      doc({ Effect: 'Allow', Action: 'a:b', Resource: '*', Condition: { StringEquals: 'x' } }),
      '$.Statement[0].Condition.StringEquals',
    ],
    ['bad Version', { Version: '2020-01-01', Statement: [] }, '$.Version'],
  ])('reports %s at its JSON path', (_name, input, path) => {
    const { problems } = parsePolicy(input, 'p');
    expect(problems.map((p) => p.path)).toContain(path);
  });

  it('reads JSON text and URL-encoded JSON text (as the IAM API returns documents)', () => {
    const document = doc(allow('states:StartExecution', SM));
    const text = JSON.stringify(document);
    expect(parsePolicy(text, 'p').policy.statements).toHaveLength(1);
    expect(parsePolicy(encodeURIComponent(text), 'p').policy.statements).toHaveLength(1);
  });

  it('leaves broken statements out so they grant nothing, and keeps the good ones', () => {
    const { policy, problems } = parsePolicy(doc(allow('s3:GetObject', '*'), { Effect: 'Allow', Action: 's3:*' }), 'p');
    expect(policy.statements.map((s) => s.index)).toEqual([0]);
    expect(problems).toHaveLength(1);
  });

  it('numbers and booleans in conditions become strings', () => {
    const { policy } = parsePolicy(
      doc(
        allow('s3:ListBucket', '*', {
          Condition: { NumericLessThan: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } },
        }),
      ),
      'p',
    );
    expect(policy.statements[0]?.condition).toEqual({
      NumericLessThan: { 's3:max-keys': ['10'] },
      Bool: { 'aws:SecureTransport': ['true'] },
    });
  });
});

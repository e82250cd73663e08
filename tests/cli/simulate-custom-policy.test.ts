import { runCli } from '../helpers/cli';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Start',
      Effect: 'Allow',
      Action: 'states:StartExecution',
      Resource: 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent',
    },
    {
      Sid: 'List',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::b',
      Condition: { StringLike: { 's3:prefix': 'data/*' } },
    },
  ],
});
const BOUNDARY = JSON.stringify({
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' },
});

describe('dmap-guard simulate-custom-policy', () => {
  it('prints one result per (action, resource) with the decision, matched statements and missing context', async () => {
    const { code, stdout } = await runCli([
      'simulate-custom-policy',
      '--policy-input-list',
      POLICY,
      '--action-names',
      'states:StartExecution',
      's3:ListBucket',
      '--resource-arns',
      'arn:aws:states:us-east-1:123456789012:stateMachine:Parent',
      'arn:aws:s3:::b',
    ]);
    expect(code).toBe(0);
    const results = JSON.parse(stdout).EvaluationResults;
    expect(results.map((r: Record<string, unknown>) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual(
      [
        ['states:StartExecution', 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent', 'allowed'],
        ['states:StartExecution', 'arn:aws:s3:::b', 'implicitDeny'],
        ['s3:ListBucket', 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent', 'implicitDeny'],
        ['s3:ListBucket', 'arn:aws:s3:::b', 'implicitDeny'],
      ],
    );
    expect(results[0].MatchedStatements[0]).toMatchObject({ SourcePolicyId: 'PolicyInputList.1', Sid: 'Start' });
    expect(results[3].MissingContextValues).toEqual(['s3:prefix']);
  });

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html: MissingContextValues lists "context
  // keys that are required by the included input policies but that were not provided"; the decision treats them as absent.
  it('decides with unsupplied keys absent, as AWS does, and lists the keys the outcome depends on', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:PrincipalTag/team}/*' },
        {
          Sid: 'OnlyThroughVpce',
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    });
    const run = async (...context: string[]) =>
      JSON.parse(
        (
          await runCli([
            'simulate-custom-policy',
            '--policy-input-list',
            policy,
            '--action-names',
            's3:GetObject',
            '--resource-arns',
            'arn:aws:s3:::home/data/x',
            ...(context.length > 0 ? ['--context-entries', ...context] : []),
          ])
        ).stdout,
      ).EvaluationResults[0];
    const bare = await run();
    expect(bare.EvalDecision).toBe('explicitDeny');
    expect(bare.MatchedStatements.map((m: { Sid?: string }) => m.Sid)).toEqual(['OnlyThroughVpce']);
    // Both statements are undecided without the keys: the Deny's aws:SourceVpce and the Allow's variable.
    expect(bare.MissingContextValues).toEqual(['aws:PrincipalTag/team', 'aws:SourceVpce']);
    const throughVpce = await run(
      '{"ContextKeyName":"aws:SourceVpce","ContextKeyValues":["vpce-1"],"ContextKeyType":"string"}',
    );
    expect(throughVpce.EvalDecision).toBe('implicitDeny');
    expect(throughVpce.MissingContextValues).toEqual(['aws:PrincipalTag/team']);
    const tagged = await run(
      '[{"ContextKeyName":"aws:SourceVpce","ContextKeyValues":["vpce-1"],"ContextKeyType":"string"},{"ContextKeyName":"aws:PrincipalTag/team","ContextKeyValues":["data"],"ContextKeyType":"string"}]',
    );
    expect(tagged).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
  });

  it('takes context entries and a permissions boundary', async () => {
    const { stdout } = await runCli([
      'simulate-custom-policy',
      '--policy-input-list',
      POLICY,
      '--action-names',
      's3:ListBucket',
      'states:StartExecution',
      '--resource-arns',
      'arn:aws:s3:::b',
      '--context-entries',
      '[{"ContextKeyName":"s3:prefix","ContextKeyValues":["data/2026"],"ContextKeyType":"string"}]',
      '--permissions-boundary-policy-input-list',
      BOUNDARY,
    ]);
    const [list, start] = JSON.parse(stdout).EvaluationResults;
    expect(list).toMatchObject({
      EvalDecision: 'allowed',
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
    });
    expect(start).toMatchObject({
      EvalDecision: 'implicitDeny',
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false },
    });
  });

  it('a context entry named __proto__ is one more key, and the others still decide', async () => {
    const { stdout, stderr } = await runCli([
      'simulate-custom-policy',
      '--policy-input-list',
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}}',
      '--action-names',
      's3:GetObject',
      '--context-entries',
      '[{"ContextKeyName":"__proto__","ContextKeyValues":["x"],"ContextKeyType":"string"},{"ContextKeyName":"aws:SourceVpce","ContextKeyValues":["vpce-1"],"ContextKeyType":"string"}]',
    ]);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).EvaluationResults[0]).toMatchObject({
      EvalDecision: 'allowed',
      MissingContextValues: [],
    });
  });

  it('defaults the resource to * as the AWS API does', async () => {
    const { stdout } = await runCli([
      'simulate-custom-policy',
      '--policy-input-list',
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}',
      '--action-names',
      's3:GetObject',
    ]);
    expect(JSON.parse(stdout).EvaluationResults[0]).toMatchObject({ EvalResourceName: '*', EvalDecision: 'allowed' });
  });

  it.each<[string, string[], RegExp]>([
    ['no policies', ['--action-names', 's3:GetObject'], /--policy-input-list is required/],
    ['no actions', ['--policy-input-list', POLICY], /--action-names is required/],
    [
      'a malformed policy',
      ['--policy-input-list', '{"Statement":5}', '--action-names', 's3:GetObject'],
      /item 1: MalformedPolicyDocument at \$\.Statement/,
    ],
    [
      'a condition operator IAM does not know (named as on the command line)',
      [
        '--policy-input-list',
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"s3:prefix":"a"}}}}',
        '--action-names',
        's3:GetObject',
      ],
      /^dmap-guard: --policy-input-list item 1: MalformedPolicyDocument at \$\.Statement\[0\]\.Condition\.StringEqualz/,
    ],
    [
      'an unreadable file',
      ['--policy-input-list', 'file:///nonexistent/p.json', '--action-names', 's3:GetObject'],
      /cannot read \/nonexistent\/p\.json/,
    ],
    [
      'a bad action',
      ['--policy-input-list', POLICY, '--action-names', 'GetObject'],
      /"GetObject" is not service:Action/,
    ],
    [
      'a bad ARN',
      ['--policy-input-list', POLICY, '--action-names', 's3:GetObject', '--resource-arns', 'bucket'],
      /"bucket" is not an ARN/,
    ],
    [
      'context that is not JSON',
      ['--policy-input-list', POLICY, '--action-names', 's3:GetObject', '--context-entries', 'k=v'],
      /--context-entries: expected JSON/,
    ],
    [
      'an unknown context type',
      [
        '--policy-input-list',
        POLICY,
        '--action-names',
        's3:GetObject',
        '--context-entries',
        '[{"ContextKeyName":"k","ContextKeyValues":["v"],"ContextKeyType":"text"}]',
      ],
      /ContextKeyType must be one of/,
    ],
    [
      'a value of the wrong type',
      [
        '--policy-input-list',
        POLICY,
        '--action-names',
        's3:GetObject',
        '--context-entries',
        '{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["nope"],"ContextKeyType":"ip"}',
      ],
      /"nope" is not a valid ip value/,
    ],
    [
      'several values for a single type',
      [
        '--policy-input-list',
        POLICY,
        '--action-names',
        's3:GetObject',
        '--context-entries',
        '{"ContextKeyName":"k","ContextKeyValues":["a","b"],"ContextKeyType":"string"}',
      ],
      /use stringList/,
    ],
    [
      'two boundaries',
      [
        '--policy-input-list',
        POLICY,
        '--action-names',
        's3:GetObject',
        '--permissions-boundary-policy-input-list',
        BOUNDARY,
        BOUNDARY,
      ],
      /takes one policy/,
    ],
    [
      'an unknown option',
      ['--policy-input-list', POLICY, '--action-names', 's3:GetObject', '--verbose'],
      /unknown option --verbose/,
    ],
    [
      'a caller that is not IAM',
      [
        '--policy-input-list',
        POLICY,
        '--action-names',
        's3:GetObject',
        '--caller-arn',
        'arn:aws:sts::123456789012:assumed-role/r/s',
      ],
      /--caller-arn/,
    ],
  ])('exits 2 and says which argument is wrong: %s', async (_name, argv, message) => {
    const { code, stderr } = await runCli(['simulate-custom-policy', ...argv]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

import { parseDocumentText } from '../../lib/cfn/load';
import { TemplateAnalysis } from '../../lib/cfn/template';
import { displayValue } from '../../lib/model/arns';

const TEMPLATE = `
Parameters:
  Env: { Type: String, Default: dev }
  Names: { Type: CommaDelimitedList, Default: "a,b,c" }
  NoDefault: { Type: String }
  FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /app/bucket }
Mappings:
  Regions:
    us-east-1: { Suffix: use1 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals [a, a]]
  Either: !Or [!Condition IsProd, !Equals [x, y]]
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties: { Definition: {} }
  Named:
    Type: AWS::StepFunctions::StateMachine
    Properties: { StateMachineName: !Sub 'named-\${Env}', Definition: {} }
  Bucket: { Type: AWS::S3::Bucket }
  Role: { Type: AWS::IAM::Role, Properties: { Path: /service/ } }
  Key: { Type: AWS::KMS::Key }
  Queue: { Type: AWS::SQS::Queue, Properties: { QueueName: jobs } }
  Fn: { Type: AWS::Lambda::Function, Properties: { FunctionName: worker } }
  OnlyInProd: { Type: AWS::SNS::Topic, Condition: IsProd }
`;

function analysis(overrides: Record<string, string> = {}) {
  return new TemplateAnalysis(parseDocumentText(TEMPLATE, 'template.yaml'), {
    region: 'us-east-1',
    account: '123456789012',
    partition: 'aws',
    parameterOverrides: overrides,
  });
}

describe('intrinsic functions', () => {
  const t = analysis();
  it.each<[string, unknown, unknown]>([
    ['Ref parameter default', { Ref: 'Env' }, 'dev'],
    ['Ref pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, 'aws'],
    ['Ref list parameter', { Ref: 'Names' }, ['a', 'b', 'c']],
    ['Ref state machine is its ARN', { Ref: 'Named' }, 'arn:aws:states:us-east-1:123456789012:stateMachine:named-dev'],
    ['GetAtt Name', { 'Fn::GetAtt': ['Named', 'Name'] }, 'named-dev'],
    [
      'GetAtt dotted string',
      { 'Fn::GetAtt': 'Named.Arn' },
      'arn:aws:states:us-east-1:123456789012:stateMachine:named-dev',
    ],
    [
      'Ref bucket is its (lowercase synthetic) name',
      { Ref: 'Bucket' },
      expect.stringMatching(/^dmap-guard-bucket-[0-9a-f]{12}$/),
    ],
    [
      'GetAtt role Arn keeps the Path',
      { 'Fn::GetAtt': ['Role', 'Arn'] },
      expect.stringMatching(/^arn:aws:iam::123456789012:role\/service\/dmap-guard-Role-/),
    ],
    [
      'GetAtt key Arn',
      { 'Fn::GetAtt': ['Key', 'Arn'] },
      expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/),
    ],
    ['Ref queue is its URL', { Ref: 'Queue' }, 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs'],
    ['GetAtt function Arn', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'arn:aws:lambda:us-east-1:123456789012:function:worker'],
    [
      'Sub with pseudo and attribute',
      { 'Fn::Sub': 'arn:${AWS::Partition}:x:${Fn.Arn}' },
      'arn:aws:x:arn:aws:lambda:us-east-1:123456789012:function:worker',
    ],
    ['Sub list form with variables', { 'Fn::Sub': ['${A}-${Env}', { A: 'x' }] }, 'x-dev'],
    ['Sub keeps ${!Literal}', { 'Fn::Sub': '${!Literal}' }, '${Literal}'],
    ['Join', { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] }, 'a-dev'],
    ['Select of Split', { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] }, 'y'],
    [
      'Select 7 of a split StackId (a common naming idiom)',
      { 'Fn::Select': [7, { 'Fn::Split': ['-', { Ref: 'AWS::StackId' }] }] },
      expect.stringMatching(/^[0-9a-f]{12}$/),
    ],
    ['If with a false condition', { 'Fn::If': ['IsProd', 'p', 'd'] }, 'd'],
    ['If with Not and And', { 'Fn::If': ['Both', 'yes', 'no'] }, 'yes'],
    ['If with Or', { 'Fn::If': ['Either', 'yes', 'no'] }, 'no'],
    ['If with AWS::NoValue drops the key', { a: { 'Fn::If': ['IsProd', 1, { Ref: 'AWS::NoValue' }] }, b: 2 }, { b: 2 }],
    ['FindInMap', { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Suffix'] }, 'use1'],
    [
      'FindInMap with DefaultValue',
      { 'Fn::FindInMap': ['Regions', 'eu-west-1', 'Suffix', { DefaultValue: 'none' }] },
      'none',
    ],
    ['ToJsonString', { 'Fn::ToJsonString': { a: { Ref: 'Env' } } }, '{"a":"dev"}'],
    ['Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Length', { 'Fn::Length': [1, 2, 3] }, 3],
  ])('%s', (_name, input, expected) => {
    expect(t.resolve(input)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['ImportValue', { 'Fn::ImportValue': 'shared-bucket' }, "<Fn::ImportValue 'shared-bucket'>"],
    ['a parameter without default', { Ref: 'NoDefault' }, '<parameter NoDefault>'],
    ['an SSM parameter (its Default is a parameter name, not the value)', { Ref: 'FromSsm' }, '<parameter FromSsm>'],
    ['an unknown attribute', { 'Fn::GetAtt': ['Bucket', 'Nope'] }, '<Bucket.Nope>'],
    ['a Ref to a resource whose Condition is false', { Ref: 'OnlyInProd' }, '<Ref OnlyInProd>'],
    ['GetAZs', { 'Fn::GetAZs': '' }, '<Fn::GetAZs>'],
  ])('leaves %s unresolved, with a marker that says what it stands for', (_name, input, shown) => {
    const value = t.resolve(input);
    expect(typeof value).toBe('string');
    expect(displayValue(value as string)).toBe(shown);
  });

  it('applies parameter overrides and re-evaluates conditions', () => {
    const prod = analysis({ Env: 'prod', NoDefault: 'given' });
    expect(prod.resolve({ 'Fn::If': ['IsProd', 'p', 'd'] })).toBe('p');
    expect(prod.resolve({ Ref: 'NoDefault' })).toBe('given');
    expect(prod.resourceIds()).toContain('OnlyInProd');
  });

  it('gives the same synthetic names on every run (stable physical names)', () => {
    expect(analysis().resolve({ Ref: 'Machine' })).toBe(t.resolve({ Ref: 'Machine' }));
  });
});

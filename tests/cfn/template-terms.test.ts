// The template's own terms for the values the analysis assumed: every intrinsic form, in YAML and JSON.
import { parseDocumentText } from '../../lib/cfn/load';
import { TemplateAnalysis } from '../../lib/cfn/template';
import { inTemplateTerms, machineRewriter, templateTerms, templateYaml } from '../../lib/cfn/template-terms';

const TEMPLATE = `
Parameters:
  InputBucketName: { Type: String, Default: input-data }
  Stage: { Type: String, Default: prod }
  First: { Type: String, Default: same-value }
  Second: { Type: String, Default: same-value }
Resources:
  Bucket: { Type: AWS::S3::Bucket }
  Key: { Type: AWS::KMS::Key }
  Child: { Type: AWS::StepFunctions::StateMachine, Properties: { RoleArn: arn:aws:iam::123456789012:role/x } }
  Role: { Type: AWS::IAM::Role }
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties: { RoleArn: !GetAtt Role.Arn }
  Alarm:
    Type: AWS::SNS::Topic
    Properties: { TopicName: !Sub '\${Machine.Name}-alarms' }
`;

const analysis = new TemplateAnalysis(parseDocumentText(TEMPLATE, 'template.yaml'), {
  region: 'us-east-1',
  account: '123456789012',
  partition: 'aws',
});
const terms = templateTerms(analysis, 'YAML');
const bucket = String(analysis.values('Bucket')?.ref);
const bucketArn = `arn:aws:s3:::${bucket}`;
const machineArn = String(analysis.values('Machine')?.ref);
const childArn = String(analysis.values('Child')?.ref);
const keyArn = String(analysis.values('Key')?.attributes.Arn);

describe('templateTerms and inTemplateTerms', () => {
  it.each<[string, string, unknown]>([
    ['a whole Ref', bucket, { Ref: 'Bucket' }],
    ['a whole Fn::GetAtt', bucketArn, { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['a GetAtt inside a longer value', `${bucketArn}/map-runs/*`, { 'Fn::Sub': '${Bucket.Arn}/map-runs/*' }],
    ['a generated KMS key ARN', keyArn, { 'Fn::GetAtt': ['Key', 'Arn'] }],
    ['another state machine (Ref is its ARN)', childArn, { Ref: 'Child' }],
    [
      'a parameter and pseudo parameters',
      'arn:aws:s3:::input-data/manifests/*',
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${InputBucketName}/manifests/*' },
    ],
    ['a whole pseudo parameter', '123456789012', { Ref: 'AWS::AccountId' }],
    [
      'literal ${ escaped in Fn::Sub',
      `${bucketArn}/\${aws:username}/*`,
      { 'Fn::Sub': '${Bucket.Arn}/${!aws:username}/*' },
    ],
    [
      'a value found only on separators',
      'arn:aws:s3:::production/*',
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::production/*' },
    ],
    [
      'the account and Region inside a name',
      'arn:aws:s3:::123456789012-us-east-1-reports/*',
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::AccountId}-${AWS::Region}-reports/*' },
    ],
    [
      'a parameter not inside a hyphenated name',
      'arn:aws:s3:::prod-data',
      { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::prod-data' },
    ],
    ['nothing known', 'incoming/', 'incoming/'],
    ['a wildcard', '*', '*'],
  ])('%s', (_label, value, expected) => {
    expect(inTemplateTerms(value, terms)).toEqual(expected);
  });

  it('leaves an ambiguous value resolved, with a note naming the candidates', () => {
    const notes = new Set<string>();
    expect(inTemplateTerms('arn:aws:s3:::same-value', terms, new Set(), notes)).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::same-value',
    });
    expect([...notes]).toEqual(['same-value is left as it is: it could be ${First} or ${Second}']);
  });

  it("never names the machine, its role or what depends on them from the machine's role (a circular dependency)", () => {
    const rewriter = machineRewriter(terms, 'Machine');
    const { statements, notes } = rewriter.statements([
      { Sid: 'Start', Effect: 'Allow', Action: 'states:StartExecution', Resource: [machineArn, childArn] },
    ]);
    const name = String(analysis.values('Machine')?.attributes.Name);
    expect(statements[0]).toMatchObject({
      Resource: [
        { 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${name}` },
        { Ref: 'Child' },
      ],
    });
    expect(notes.join('\n')).toMatch(/name dmap-guard assumed for Machine.*give Machine a name/);
    // The topic is named from the machine, so naming it from the role would close the same loop.
    const topic = String(analysis.values('Alarm')?.ref);
    expect(
      rewriter.statements([{ Sid: 'T', Effect: 'Allow', Action: 'sns:Publish', Resource: topic }]).statements[0],
    ).toMatchObject({
      Resource: expect.not.objectContaining({ Ref: 'Alarm' }),
    });
    expect(
      machineRewriter(terms, 'Child').statements([
        { Sid: 'T', Effect: 'Allow', Action: 'sns:Publish', Resource: topic },
      ]).statements[0],
    ).toMatchObject({ Resource: { Ref: 'Alarm' } });
  });

  it('prints YAML with short-form tags and JSON templates in the JSON form', () => {
    const statement = {
      Sid: 'Read',
      Effect: 'Allow' as const,
      Action: 's3:GetObject',
      Resource: [bucketArn, `${bucketArn}/*`],
    };
    const yaml = machineRewriter(terms, 'Machine');
    const text = yaml.text(yaml.statements([statement]).statements, ['a note']);
    expect(text).toBe(
      [
        '- Sid: Read',
        '  Effect: Allow',
        '  Action: s3:GetObject',
        '  Resource:',
        '    - !GetAtt Bucket.Arn',
        '    - !Sub "${Bucket.Arn}/*"',
        '# note: a note',
      ].join('\n'),
    );
    expect(templateYaml({ Ref: 'AWS::Region' })).toBe('!Ref AWS::Region');
    const json = machineRewriter(templateTerms(analysis, 'JSON'), 'Machine');
    const printed = json.text(json.statements([statement]).statements, []);
    expect(JSON.parse(printed)).toEqual({
      ...statement,
      Resource: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Sub': '${Bucket.Arn}/*' }],
    });
  });

  it('prints a value that recurs across statements in full each time, never as a YAML alias', () => {
    const rewriter = machineRewriter(terms, 'Machine');
    const statements = ['Read', 'Write'].map((Sid) => ({
      Sid,
      Effect: 'Allow' as const,
      Action: 's3:GetObject',
      Resource: [bucketArn],
    }));
    const text = rewriter.text(rewriter.statements(statements).statements, []);
    expect(text.match(/!GetAtt Bucket\.Arn/g)).toHaveLength(2);
    expect(text).not.toMatch(/[*&]a\d/);
  });
});

// Names from a template that are also members of Object.prototype are names like any other: a template whose
// logical ids, parameters, conditions, mappings, buckets and states are so named gives the findings of the same
// template with ordinary names.
import { stringify } from 'yaml';
import { parseDocumentText } from '../../lib/cfn/load';
import { analyzeTemplate } from '../../lib/cfn/machines';
import { checkStateMachines } from '../../lib/checks/analyze';
import { EmbeddedSimulator } from '../../lib/offline/simulator';

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

/** The ordinary name of each place a template names something. */
const ORDINARY = {
  machineId: 'OrdersMachine',
  roleId: 'OrdersRole',
  bucketId: 'DataBucket',
  aliasId: 'DataKeyAlias',
  bucketName: 'orders-data',
  plainBucketName: 'orders-results',
  parameter: 'ResultsPrefix',
  condition: 'IsProduction',
  mapping: 'Settings',
  mappingKey: 'Reader',
  state: 'ProcessOrders',
  childState: 'HandleOrder',
};
type Slot = keyof typeof ORDINARY;

/** An object with own properties, even one named "__proto__" (an object literal would set the prototype). */
function obj(...entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function template(n: Record<Slot, string>): unknown {
  const definition = {
    StartAt: n.state,
    States: obj([
      n.state,
      {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: { Ref: n.bucketId }, Key: { 'Fn::FindInMap': [n.mapping, n.mappingKey, 'Key'] } },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: n.childState,
          States: obj([n.childState, { Type: 'Pass', Next: 'Done' }], ['Done', { Type: 'Succeed' }]),
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: n.plainBucketName, Prefix: { Ref: n.parameter } },
        },
        End: true,
      },
    ]),
  };
  return {
    Parameters: obj([n.parameter, { Type: 'String', Default: 'results' }]),
    Conditions: obj([n.condition, { 'Fn::Equals': ['prod', 'prod'] }]),
    Mappings: obj([n.mapping, obj([n.mappingKey, { Key: 'input/orders.json' }])]),
    Resources: obj(
      [
        n.aliasId,
        {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: 'alias/orders', TargetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
        },
      ],
      [
        n.bucketId,
        {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: n.bucketName,
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                {
                  ServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    KMSMasterKeyID: { Ref: n.aliasId },
                  },
                },
              ],
            },
          },
        },
      ],
      [
        n.roleId,
        {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'orders-role',
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            },
            Policies: [
              {
                PolicyName: 'run',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 's3:GetObject',
                      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${${n.bucketId}}/*` },
                    },
                    {
                      Effect: 'Allow',
                      Action: 's3:PutObject',
                      Resource: { 'Fn::Sub': `arn:aws:s3:::${n.plainBucketName}/\${${n.parameter}}/*` },
                    },
                    { Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' },
                  ],
                },
              },
            ],
          },
        },
      ],
      [
        n.machineId,
        {
          Type: 'AWS::StepFunctions::StateMachine',
          Condition: n.condition,
          Properties: {
            StateMachineName: 'orders-machine',
            RoleArn: { 'Fn::GetAtt': [n.roleId, 'Arn'] },
            Definition: definition,
          },
        },
      ],
    ),
  };
}

const where = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

async function findingsOf(text: string, file: string) {
  const machines = analyzeTemplate(parseDocumentText(text, file), where);
  const { findings } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
  return { machines, findings };
}

const formats: Array<[string, (value: unknown) => string]> = [
  ['template.json', (value) => JSON.stringify(value)],
  ['template.yaml', (value) => stringify(value)],
];

describe('prototype member names in templates', () => {
  it.each(formats)('the control template (%s) has findings to compare', async (file, write) => {
    const { machines, findings } = await findingsOf(write(template(ORDINARY)), file);
    expect(machines.map((m) => m.id)).toEqual(['OrdersMachine']);
    expect(findings.map((f) => `${f.rule} ${f.action}`)).toEqual(
      // The key is outside the template, so its key policy (the gate) is not known: kms:Decrypt is unverifiable.
      expect.arrayContaining(['unverifiable kms:Decrypt', 'missing-recommended-permission states:DescribeExecution']),
    );
  });

  const cases = (Object.keys(ORDINARY) as Slot[]).flatMap((slot) =>
    PROTOTYPE_NAMES.flatMap((name) => formats.map(([file, write]) => [slot, name, file, write] as const)),
  );
  it.each(cases)('%s named %s (%s) is checked like any other name', async (slot, name, file, write) => {
    const control = await findingsOf(write(template(ORDINARY)), file);
    const named = await findingsOf(write(template({ ...ORDINARY, [slot]: name })), file);
    expect(named.machines.map((m) => m.id)).toEqual(
      control.machines.map((m) => (m.id === ORDINARY.machineId && slot === 'machineId' ? name : m.id)),
    );
    const renamed = JSON.stringify(named.findings).split(name).join(ORDINARY[slot]);
    expect(JSON.parse(renamed)).toEqual(control.findings);
  });
});

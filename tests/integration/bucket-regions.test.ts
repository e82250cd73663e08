// s3:GetBucketLocation against moto_server: the Region of listing and ResultWriter buckets, which must be the state
// machine's (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html,
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html), and what a check makes of it.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { AwsBackend } from '../../lib/aws/backend';
import { createClients } from '../../lib/aws/clients';
import { checkStateMachines } from '../../lib/checks/analyze';
import { liveResourcePolicies } from '../../lib/checks/resource-side';
import { stateMachineModel } from '../../lib/model/state-machine';
import { EmbeddedSimulator } from '../../lib/offline/simulator';

const endpoint = process.env.MOTO_ENDPOINT as string;
const clients = createClients({ region: 'us-east-1', endpoint, maxAttempts: 2 });
const backend = new AwsBackend(clients);

beforeAll(async () => {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'region-virginia' }));
  const ireland = createClients({ region: 'eu-west-1', endpoint, maxAttempts: 2 });
  await ireland.s3.send(
    new CreateBucketCommand({
      Bucket: 'region-ireland',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
});

describe('bucket Regions against moto', () => {
  it('GetBucketLocation: us-east-1 for a bucket created without a constraint, eu-west-1 for one created there', async () => {
    expect(await backend.bucketRegion('region-virginia')).toBe('us-east-1');
    expect(await backend.bucketRegion('region-ireland')).toBe('eu-west-1');
    expect(await backend.bucketRegion('region-no-such-bucket')).toBeUndefined();
  });

  it('a ResultWriter bucket in another Region fails the check; one in the machine Region does not', async () => {
    const machine = (results: string) =>
      stateMachineModel({
        id: results,
        name: results,
        partition: 'aws',
        region: 'us-east-1',
        account: '123456789012',
        source: 'account',
        definition: {
          StartAt: 'Map',
          States: {
            Map: {
              Type: 'Map',
              ItemProcessor: {
                ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
                StartAt: 'P',
                States: { P: { Type: 'Pass', End: true } },
              },
              ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: results, Prefix: 'r' } },
              End: true,
            },
          },
        },
        role: { arn: 'arn:aws:iam::123456789012:role/MapRole', identityPolicies: [], unknown: [] },
      });
    const { findings } = await checkStateMachines([machine('region-ireland'), machine('region-virginia')], {
      simulator: new EmbeddedSimulator(),
      resourcePolicy: liveResourcePolicies(backend),
    });
    const invalid = findings.filter((f) => f.rule === 'invalid-definition');
    expect(invalid.map((f) => [f.stateMachine, f.messageId])).toEqual([['region-ireland', 'bucketInOtherRegion']]);
    expect(invalid[0]?.message).toMatch(/^Bucket region-ireland is in Region eu-west-1, not us-east-1/);
  });
});

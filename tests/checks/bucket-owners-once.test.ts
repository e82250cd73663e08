// The owner of a bucket (ExpectedBucketOwner) comes from the needs, derived once: checking a machine parses its
// definition once, and the owner still decides the account checks and the resource side.
import { parseDefinition } from '../../lib/asl/definition';
import { checkStateMachines } from '../../lib/checks/analyze';
import { stateMachineModel } from '../../lib/model/state-machine';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { distributedMap } from './machines';
import { allow, MACHINE_ARN } from '../helpers/rule-tester';

jest.mock('../../lib/asl/definition', () => {
  const actual = jest.requireActual('../../lib/asl/definition');
  return { ...actual, parseDefinition: jest.fn(actual.parseDefinition) };
});

const PARTNER = '210987654321';

function machine(id: string) {
  return stateMachineModel({
    id,
    name: 'Machine',
    partition: 'aws',
    region: 'us-east-1',
    account: '123456789012',
    source: 'template.json',
    definition: distributedMap({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: 'partner-bucket', Prefix: 'in/', ExpectedBucketOwner: PARTNER },
      },
    }),
    role: {
      arn: 'arn:aws:iam::123456789012:role/MapRole',
      identityPolicies: [
        {
          id: 'P0',
          name: 'P0',
          document: allow(['states:StartExecution', MACHINE_ARN], ['s3:ListBucket', 'arn:aws:s3:::partner-bucket']),
        },
      ],
      unknown: [],
    },
    resourcePolicies: new Map(),
  });
}

it('parses each definition once, and ExpectedBucketOwner still decides', async () => {
  (parseDefinition as jest.Mock).mockClear();
  const { findings } = await checkStateMachines([machine('A'), machine('B')], { simulator: new EmbeddedSimulator() });
  expect((parseDefinition as jest.Mock).mock.calls).toHaveLength(2);
  const ofA = findings.filter((f) => f.stateMachine === 'A');
  expect(ofA.find((f) => f.rule === 'invalid-definition')?.messageId).toBe('bucketInOtherAccount');
  // The listing bucket is the partner's: its bucket policy must allow the role too, and it is not known.
  expect(ofA.find((f) => f.messageId === 'resourcePolicyUnknown')?.message).toMatch(
    new RegExp(`the bucket is in account ${PARTNER}, so its policy must allow the role too`),
  );
});

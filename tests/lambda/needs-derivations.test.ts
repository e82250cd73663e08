// Needs are derived once per machine on the live paths; the keys of the buckets they name are asked of the
// backend afterwards, and the key needs follow without a second walk of the definition.
import { parseDocumentText } from '../../lib/cfn/load';
import { checkStateMachines } from '../../lib/checks/analyze';
import { deployedModel } from '../../lib/inputs/deployed';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { deriveBaseNeeds, deriveNeeds } from '../../lib/needs';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import type { AccountSnapshot } from '../../lib/model/snapshot';
import type { DeployedStateMachine } from '../../lib/ports/backend';

jest.mock('../../lib/needs', () => {
  const actual = jest.requireActual('../../lib/needs');
  return {
    ...actual,
    deriveBaseNeeds: jest.fn(actual.deriveBaseNeeds),
    deriveNeeds: jest.fn(actual.deriveNeeds),
  };
});
jest.mock('../../lib/cfn/load', () => {
  const actual = jest.requireActual('../../lib/cfn/load');
  return { ...actual, parseDocumentText: jest.fn(actual.parseDocumentText) };
});
const parses = () => (parseDocumentText as jest.Mock).mock.calls.length;
const derivations = () =>
  (deriveBaseNeeds as jest.Mock).mock.calls.length + (deriveNeeds as jest.Mock).mock.calls.length;

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-dmap/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/orders-role';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };

function definition(bucket: string) {
  return {
    StartAt: 'ProcessOrders',
    States: {
      ProcessOrders: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: bucket, Key: 'orders.json' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Done',
          States: { Done: { Type: 'Pass', End: true } },
        },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: bucket, Prefix: 'out' } },
        End: true,
      },
    },
  };
}

const machine = (name: string) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: {
    StateMachineName: name,
    RoleArn: ROLE_ARN,
    Definition: definition('orders-data'),
  },
});
const stackTemplate = JSON.stringify({ Resources: { First: machine('first'), Second: machine('second') } });

// The role grants S3 but no KMS: the key needs, once known, are findings.
const snapshot: AccountSnapshot = {
  roles: new Map([
    [
      ROLE_ARN,
      {
        arn: ROLE_ARN,
        name: 'orders-role',
        inline: [
          {
            id: 'orders-role/s3',
            name: 'inline policy s3',
            document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }],
            },
          },
        ],
        attached: [],
      },
    ],
  ]),
  policies: new Map(),
};

class CountingBackend extends EmbeddedBackend {
  readonly asked: string[] = [];
  constructor() {
    super({ stackTemplate, bucketKeys: { 'orders-data': KEY }, snapshot });
  }
  override async bucketKey(bucket: string) {
    this.asked.push(bucket);
    return super.bucketKey(bucket);
  }
  override async describeStateMachine(arn: string): Promise<DeployedStateMachine> {
    return {
      arn,
      name: arn.split(':').pop() ?? arn,
      type: 'STANDARD',
      definition: JSON.stringify(definition('orders-data')),
      roleArn: ROLE_ARN,
      logging: false,
      tracing: false,
    };
  }
}

function hookEvent(target: string, logicalId: string) {
  return {
    clientRequestToken: 'token',
    stackId: STACK_ID,
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    requestData: {
      targetName: target,
      targetType: target,
      targetLogicalId: logicalId,
      payload: 'https://hook-payloads.s3.us-east-1.amazonaws.com/payload.json',
      targetModel: { resourceProperties: machine('first').Properties },
    },
  };
}

/** Once the bucket's key is known, the reader's and the writer's kms needs: one finding for the key, whose key
 * policy is not known offline, naming them all. */
const KEY_FINDINGS = ['kms:Decrypt, kms:GenerateDataKey, kms:Encrypt'];
/** Without a reader of key policies (no resourcePolicy lookup), the role alone decides: one finding per need. */
const KEY_NEED_FINDINGS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey, kms:Decrypt'];
const keyNeeds = (actions: string[]) => actions.filter((a) => a.startsWith('kms:')).sort();

beforeEach(() => {
  (deriveBaseNeeds as jest.Mock).mockClear();
  (deriveNeeds as jest.Mock).mockClear();
  (parseDocumentText as jest.Mock).mockClear();
});

describe('one needs derivation per machine', () => {
  it('the hook derives the needs of a stack once per machine and asks each bucket key once per role', async () => {
    const backend = new CountingBackend();
    const { findings } = await handleHookRequest(hookEvent('STACK', 'orders-dmap'), () => backend, config);
    expect(derivations()).toBe(2);
    expect(parses()).toBe(1);
    // Both machines use one role: they are checked together, and the bucket's key is asked once.
    expect(backend.asked).toEqual(['orders-data']);
    expect(keyNeeds(findings.filter((f) => f.stateMachine === 'First').map((f) => f.actions.join(', ')))).toEqual(
      KEY_FINDINGS,
    );
  });

  it('the hook derives the needs of a state machine target once', async () => {
    const backend = new CountingBackend();
    const { findings } = await handleHookRequest(
      hookEvent('AWS::StepFunctions::StateMachine', 'First'),
      () => backend,
      config,
    );
    expect(derivations()).toBe(1);
    // The stack's template is parsed once, not parsed, printed and parsed again.
    expect(parses()).toBe(1);
    expect(backend.asked).toEqual(['orders-data']);
    expect(keyNeeds(findings.map((f) => f.actions.join(', ')))).toEqual(KEY_FINDINGS);
  });

  it('audit derives the needs of each deployed machine once', async () => {
    const backend = new CountingBackend();
    const arns = ['first', 'second'].map((name) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`);
    const machines = [];
    for (const arn of arns) machines.push(await deployedModel(arn, backend));
    expect(derivations()).toBe(0);
    const { findings } = await checkStateMachines(machines, {
      simulator: new EmbeddedSimulator(),
      bucketKey: (bucket) => backend.bucketKey(bucket),
    });
    expect(derivations()).toBe(2);
    // One call of checkStateMachines asks each bucket once, however many machines name it.
    expect(backend.asked).toEqual(['orders-data']);
    expect(keyNeeds(findings.filter((f) => f.stateMachine === arns[0]).map((f) => f.actions.join(', ')))).toEqual(
      KEY_NEED_FINDINGS,
    );
  });
});

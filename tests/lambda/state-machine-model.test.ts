// One reader of AWS::StepFunctions::StateMachine properties and one model factory: the same properties give
// the same model from a template, a hook event and a custom resource.
import { parseDocumentText } from '../../lib/cfn/load';
import { analyzeTemplate } from '../../lib/cfn/machines';
import { checkStateMachines } from '../../lib/checks/analyze';
import { customResourceResponse } from '../../lib/lambda/custom-resource';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import type { StateMachineModel } from '../../lib/model/state-machine';
import { EmbeddedBackend } from '../../lib/offline/backend';

jest.mock('../../lib/checks/analyze', () => {
  const actual = jest.requireActual('../../lib/checks/analyze');
  return { ...actual, checkStateMachines: jest.fn(actual.checkStateMachines) };
});
const checked = checkStateMachines as jest.MockedFunction<typeof checkStateMachines>;

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-dmap/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const where = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

const properties = {
  StateMachineName: 'orders-machine',
  StateMachineType: 'STANDARD',
  RoleArn: 'arn:aws:iam::123456789012:role/orders-role',
  DefinitionSubstitutions: { InputBucket: 'orders-data' },
  Definition: {
    StartAt: 'ProcessOrders',
    States: {
      ProcessOrders: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: '${InputBucket}', Key: 'orders.json' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Done',
          States: { Done: { Type: 'Pass', End: true } },
        },
        End: true,
      },
    },
  },
  LoggingConfiguration: { Level: 'ERROR', Destinations: [] },
  TracingConfiguration: { Enabled: true },
  // A key id, not an ARN: every path must make it the key's ARN.
  EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: KEY_ID },
};
const template = JSON.stringify({
  Resources: { OrdersMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: properties } },
});

/** What a model says about the machine, without where it came from (origin, source, role). */
const essence = (m: StateMachineModel) => ({ id: m.id, arn: m.arn, context: m.context, definition: m.definition });

function templateModel(): StateMachineModel {
  const [machine] = analyzeTemplate(parseDocumentText(template, 'template.json'), where);
  return machine as StateMachineModel;
}

beforeEach(() => checked.mockClear());

describe('one model for the same StateMachine properties', () => {
  it('resolves a key id to the key ARN on the template path', () => {
    expect(templateModel().context.encryptionKey).toBe(`arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`);
  });

  it('gives the hook the model the template path gives, with string scalars as hooks send them', async () => {
    const event = {
      clientRequestToken: 'token',
      stackId: STACK_ID,
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      requestData: {
        targetName: 'AWS::StepFunctions::StateMachine',
        targetType: 'AWS::StepFunctions::StateMachine',
        targetLogicalId: 'OrdersMachine',
        targetModel: { resourceProperties: { ...properties, TracingConfiguration: { Enabled: 'true' } } },
      },
    };
    const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };
    await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate: template }), config);
    expect(checked).toHaveBeenCalledTimes(1);
    const hook = checked.mock.calls[0]?.[0][0] as StateMachineModel;
    expect(essence(hook)).toEqual(essence(templateModel()));
  });

  it('gives the custom resource the same context and definition', async () => {
    await customResourceResponse(
      {
        RequestType: 'Create',
        ResponseURL: 'https://example.com/response',
        StackId: STACK_ID,
        RequestId: 'request',
        LogicalResourceId: 'OrdersMachine',
        ResourceProperties: properties,
      },
      new EmbeddedBackend(),
    );
    const custom = checked.mock.calls[0]?.[0][0] as StateMachineModel;
    expect(essence(custom)).toEqual(essence(templateModel()));
  });
});

// Hook events whose logical ids, callbackContext keys and bucket-key names are members of Object.prototype
// are handled exactly like events with ordinary names.
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { EmbeddedBackend } from '../../lib/offline/backend';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
const ORDINARY = 'OrdersMachine';
const OTHER = 'OtherMachine';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-dmap/1b2e3f40-5a6b-11ef-8c7d-0e1f2a3b4c5d';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/orders-role';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };

/** JSON text keyed by the given names: JSON.parse keeps a "__proto__" key as an own property. */
const keyed = (entries: Array<[string, unknown]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${typeof v === 'string' && v.startsWith('{') ? v : JSON.stringify(v)}`).join(', ')}}`;

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
        End: true,
      },
    },
  };
}

function machineProperties(name: string, bucket: string) {
  return { StateMachineName: name, RoleArn: ROLE_ARN, Definition: definition(bucket) };
}

function stackTemplate(machineId: string, bucket: string): string {
  const role = {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: 'orders-role',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'read',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
          },
        },
      ],
    },
  };
  const machine = (name: string) =>
    JSON.stringify({ Type: 'AWS::StepFunctions::StateMachine', Properties: machineProperties(name, bucket) });
  return `{"Resources": ${keyed([
    ['OrdersRole', JSON.stringify(role)],
    [machineId, machine('orders-machine')],
    [OTHER, machine('other-machine')],
  ])}}`;
}

function backend(machineId: string, bucket: string) {
  return new EmbeddedBackend({
    stackTemplate: stackTemplate(machineId, bucket),
    bucketKeys: JSON.parse(keyed([[bucket, KEY]])),
  });
}

function event(target: 'AWS::StepFunctions::StateMachine' | 'STACK', logicalId: string, callbackContext: string) {
  return JSON.parse(`{
    "clientRequestToken": "token",
    "stackId": ${JSON.stringify(STACK_ID)},
    "actionInvocationPoint": "CREATE_PRE_PROVISION",
    "requestData": {
      "targetName": "${target}",
      "targetType": "${target}",
      "targetLogicalId": ${JSON.stringify(logicalId)},
      "payload": "https://hook-payloads.s3.us-east-1.amazonaws.com/payload.json",
      "targetModel": { "resourceProperties": ${JSON.stringify(machineProperties('orders-machine', 'orders-data'))} }
    },
    "requestContext": { "invocation": 2, "callbackContext": ${callbackContext} }
  }`);
}

async function outcome(machineId: string, bucket: string, request: unknown) {
  const { response, findings } = await handleHookRequest(request, () => backend(machineId, bucket), config);
  // The message is clipped at 4096 characters, so names of other lengths move its end: compare what it lists.
  const message = response.message.replace(/\n… and \d+ more findings?[\s\S]*$/, '');
  return { response: { ...response, message }, findings };
}

describe('prototype member names in hook events', () => {
  it('the control events have findings to compare', async () => {
    const single = await outcome(ORDINARY, 'orders-data', event('AWS::StepFunctions::StateMachine', ORDINARY, 'null'));
    expect(single.response.hookStatus).toBe('FAILED');
    expect(single.findings.map((f) => f.action)).toEqual(expect.arrayContaining(['kms:Decrypt']));
    const stack = await outcome(ORDINARY, 'orders-data', event('STACK', 'orders-dmap', 'null'));
    expect(new Set(stack.findings.map((f) => f.stateMachine))).toEqual(new Set([ORDINARY, OTHER]));
  });

  const cases: Array<[string, string, (name: string) => unknown]> = [
    ['a state machine target', 'logical id', (id) => event('AWS::StepFunctions::StateMachine', id, 'null')],
    [
      'a stack whose callbackContext has the other machine done',
      'logical id',
      () => event('STACK', 'orders-dmap', `{"done": ${keyed([[OTHER, []]])}}`),
    ],
    [
      'a stack whose callbackContext has this machine done',
      'callbackContext key',
      (id) => event('STACK', 'orders-dmap', `{"done": ${keyed([[id, []]])}}`),
    ],
  ];
  const table = cases.flatMap(([what, role, make]) => NAMES.map((name) => [what, role, name, make] as const));

  it.each(table)('%s with the %s %s is handled like an ordinary one', async (_what, _role, name, make) => {
    const control = await outcome(ORDINARY, 'orders-data', make(ORDINARY));
    const named = await outcome(name, 'orders-data', make(name));
    expect(JSON.parse(JSON.stringify(named).split(name).join(ORDINARY))).toEqual(JSON.parse(JSON.stringify(control)));
  });

  it.each(NAMES)('a bucket named %s has its key looked up like any other', async (bucket) => {
    const control = await outcome(ORDINARY, 'orders-data', event('STACK', 'orders-dmap', 'null'));
    const named = await outcome(ORDINARY, bucket, event('STACK', 'orders-dmap', 'null'));
    expect(JSON.parse(JSON.stringify(named).split(bucket).join('orders-data'))).toEqual(
      JSON.parse(JSON.stringify(control)),
    );
  });
});

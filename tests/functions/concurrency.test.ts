// Hook invocations overlapping in one process (tests and `sam local` can do it; Lambda does not) keep their own
// log keys: every line carries its own invocation's token, stack and logical id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parseDocumentText } from '../../lib/cfn/load';
import { handler as hook } from '../../functions/hook/handler';
import { logger } from '../../functions/shared/powertools';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = JSON.stringify(
  parseDocumentText(readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8'), 'orders-stack.yaml').value,
);
const iam = mockClient(IAMClient);
const s3 = mockClient(S3Client);
const cfn = mockClient(CloudFormationClient);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same request from two stacks, A and B, with their own token and logical id. */
function request(name: 'A' | 'B') {
  const event = JSON.parse(readFileSync(join(EVENTS, 'hook-statemachine-create.json'), 'utf8'));
  event.clientRequestToken = `token-${name}`;
  event.stackId = event.stackId.replace('stack/orders-dmap/', `stack/orders-${name}/`);
  event.requestData.targetLogicalId = `Machine${name}`;
  return event;
}

afterEach(() => {
  for (const mock of [iam, s3, cfn]) mock.reset();
  jest.restoreAllMocks();
});

it('keeps each invocation’s log keys when two invocations interleave', async () => {
  // A's template read resolves after B has started and finished its reads: A's verdict is logged last.
  cfn.on(GetTemplateCommand).callsFake(async (input: { StackName: string }) => {
    await delay(input.StackName.includes('orders-A') ? 60 : 0);
    return { TemplateBody: stackTemplate };
  });
  cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
  s3.on(GetBucketEncryptionCommand).rejects(
    Object.assign(new Error('none'), { name: 'ServerSideEncryptionConfigurationNotFoundError', $metadata: {} }),
  );
  iam.on(SimulatePrincipalPolicyCommand).callsFake(async (input: { ActionNames: string[]; ResourceArns: string[] }) => {
    await delay(5);
    return {
      EvaluationResults: input.ActionNames.map((action) => ({
        EvalActionName: action,
        EvalDecision: 'allowed',
        ResourceSpecificResults: input.ResourceArns.map((r) => ({
          EvalResourceName: r,
          EvalResourceDecision: 'allowed',
        })),
      })),
    };
  });
  const logged: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
  logger.setLogLevel('INFO');
  let responses;
  try {
    responses = await Promise.all([hook(request('A')), hook(request('B'))]);
  } finally {
    logger.setLogLevel('SILENT');
    jest.restoreAllMocks();
  }
  expect(responses.map((r) => r.clientRequestToken)).toEqual(['token-A', 'token-B']);
  const lines = logged
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{') && l.includes('"level"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const verdicts = lines.filter((l) => l.message === 'hook verdict');
  // B finished first, so A's line came last: the order proves the invocations overlapped.
  expect(verdicts.map((l) => l.clientRequestToken)).toEqual(['token-B', 'token-A']);
  for (const line of lines) {
    const name = line.clientRequestToken === 'token-A' ? 'A' : 'B';
    expect(line).toMatchObject({ clientRequestToken: `token-${name}`, targetLogicalId: `Machine${name}` });
    expect(String(line.stackId)).toContain(`stack/orders-${name}/`);
  }
  // The metrics of each invocation are its own: one EMF document per invocation with one verdict each.
  const emf = logged.filter((l) => l.includes('"_aws"') && l.includes('NonCompliantResources'));
  expect(emf).toHaveLength(2);
});

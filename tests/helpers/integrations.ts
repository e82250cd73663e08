// Table-driven integration fixtures: for each row of the integration table, a Task state whose arguments give
// every field the row reads a realistic static value, and the state machine that runs it in a Distributed Map.
import { INTEGRATIONS, rowResource, type IntegrationRow } from '../../lib/needs/integrations';
import type { StateMachineContext } from '../../lib/model/state-machine';

export const ACCOUNT = '123456789012';
export const CONTEXT: StateMachineContext = {
  name: 'Parent',
  partition: 'aws',
  region: 'us-east-1',
  account: ACCOUNT,
  type: 'STANDARD',
  bucketKeys: {},
  logging: false,
  tracing: false,
};

/** A value for a field, shaped by the transform the row applies to it. */
const SAMPLES: ReadonlyMap<string, string> = new Map([
  ['taskDefinition', 'web:3'],
  ['sqs', `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`],
  ['lambda', 'resize'],
  ['lambdaVersions', 'resize'],
  ['role', `arn:aws:iam::${ACCOUNT}:role/worker`],
  ['s3uri', 's3://model-io/request.json'],
  ['bedrockModel', 'anthropic.claude-3-haiku-20240307-v1:0'],
  ['apiId', 'abc123.execute-api.us-east-1.amazonaws.com'],
  ['apiRegion', 'abc123.execute-api.us-east-1.amazonaws.com'],
  ['project', 'builder:0b1c2d3e-aaaa-bbbb-cccc-111122223333'],
  ['reportGroup', `arn:aws:codebuild:us-east-1:${ACCOUNT}:report/reports:0b1c2d3e`],
  ['connectionName', `arn:aws:events:us-east-1:${ACCOUNT}:connection/stripe/0b1c2d3e-aaaa`],
  ['stateMachine', `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Child`],
  ['stateMachineName', `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:Child`],
  ['revisioned', 'render:2'],
  ['path', '/orders'],
]);
const BY_FIELD: ReadonlyMap<string, string> = new Map([
  ['Method', 'POST'],
  ['ApiEndpoint', 'https://api.example.com/v1/orders'],
  ['TopicArn', `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`],
  ['TargetArn', `arn:aws:sns:us-east-1:${ACCOUNT}:endpoint/APNS/app/0b1c`],
  ['Authentication.ConnectionArn', `arn:aws:events:us-east-1:${ACCOUNT}:connection/stripe/0b1c2d3e-aaaa`],
  ['InvocationConfig.ConnectionArn', `arn:aws:events:us-east-1:${ACCOUNT}:connection/private/0b1c2d3e-bbbb`],
  ['ExecutionRoleArn', `arn:aws:iam::${ACCOUNT}:role/job-runner`],
  ['Input.S3Uri', 's3://model-io/request.json'],
  ['Output.S3Uri', 's3://model-io/response.json'],
]);
/** Fields a row reads only for some calls; the fixture gives them so every grant is exercised. */
const SKIP_WHEN: ReadonlySet<string> = new Set(['PhoneNumber', 'TargetArn', 'InvocationConfig.ConnectionArn']);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (key === 'Entries') {
      const entries = [{}];
      node[key] = entries;
      node = entries[0] as Record<string, unknown>;
      continue;
    }
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] ?? path] ??= value;
}

const PLACEHOLDER = /(?<!\$)\{([A-Za-z0-9.]+)(?:\|([A-Za-z0-9]+))?\}/g;

/** Static arguments that give every field the row reads (run-time variants are built by the tests). */
export function sampleArguments(row: IntegrationRow): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const templates = row.grants.flatMap((g) =>
    g.when !== undefined && SKIP_WHEN.has(g.when) ? [] : [...g.resources, ...Object.values(g.context ?? {})],
  );
  for (const template of templates) {
    for (const [, path = '', transform] of template.matchAll(PLACEHOLDER)) {
      const value =
        BY_FIELD.get(path) ??
        (transform ? SAMPLES.get(transform) : undefined) ??
        `sample-${path.split('.').pop()?.toLowerCase()}`;
      setPath(args, path, value);
    }
  }
  for (const grant of row.grants) {
    if (grant.when === undefined || SKIP_WHEN.has(grant.when)) continue;
    const [path = '', value] = grant.when.split('=');
    setPath(args, path, value ?? BY_FIELD.get(path) ?? [{ Key: 'team', Value: 'data' }]);
  }
  for (const pass of row.passRoles ?? []) {
    if (pass.hidden !== undefined) continue;
    setPath(
      args,
      pass.field,
      pass.instanceProfile ? 'EMR_EC2_DefaultRole' : `arn:aws:iam::${ACCOUNT}:role/${pass.field.replace(/\W/g, '')}`,
    );
  }
  return args;
}

export function definitionFor(row: IntegrationRow, args: unknown = sampleArguments(row)): Record<string, unknown> {
  return {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Task',
          States: {
            Task: {
              Type: 'Task',
              Resource: `arn:aws:states:::${rowResource(row)}`,
              Parameters: args,
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
}

export const ROWS: Array<[string, IntegrationRow]> = INTEGRATIONS.map((row) => [rowResource(row), row]);

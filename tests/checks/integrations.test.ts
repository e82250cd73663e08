// Every row of the integration table, checked end to end with the embedded simulator: the least-privilege
// policy dmap-guard generates passes, and the same policy without one required action fails with
// missing-permission naming it. Also the PassRole over-broad rule and the catalogue checks.
// Sources: https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
import { checkStateMachines } from '../../lib/checks/analyze';
import { parseDefinition } from '../../lib/asl/definition';
import { loadCatalogue } from '../../lib/iam/load-catalogue';
import type { Catalogue } from '../../lib/iam/catalogue';
import type { StateMachineModel } from '../../lib/model/state-machine';
import { deriveNeeds } from '../../lib/needs';
import { findIntegration } from '../../lib/needs/integrations';
import { leastPrivilegePolicy, type PolicyDocument } from '../../lib/needs/policy';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { CONTEXT, ROWS, definitionFor } from '../helpers/integrations';

function machine(definition: unknown, document: unknown): StateMachineModel {
  return {
    id: 'Parent',
    arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent',
    context: CONTEXT,
    definition,
    role: {
      arn: 'arn:aws:iam::123456789012:role/parent',
      identityPolicies: [{ id: 'Role/Policy', name: 'Policy', document }],
      unknown: [],
    },
    source: 'test',
    suppressions: [],
    unverifiable: [],
  };
}

async function findings(definition: unknown, document: unknown, catalogue?: Catalogue) {
  const result = await checkStateMachines([machine(definition, document)], {
    simulator: new EmbeddedSimulator(),
    ...(catalogue ? { catalogue } : {}),
  });
  return result.findings.filter((f) => !f.suppressed);
}

/** The policy without `action` anywhere. */
function without(policy: PolicyDocument, action: string): PolicyDocument {
  const statements = policy.Statement.map((s) => ({
    ...s,
    Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== action),
  })).filter((s) => s.Action.length > 0);
  return { ...policy, Statement: statements };
}

describe.each(ROWS.filter(([, row]) => row.unverifiable === undefined || row.unverifiableWhen !== undefined))(
  '%s',
  (_resource, row) => {
    const definition = definitionFor(row);
    const needs = deriveNeeds(parseDefinition(definition), CONTEXT).needs;
    const policy = leastPrivilegePolicy(needs);
    const own = needs.filter((n) => n.tier === 'required' && n.source.state.endsWith('.Task'));
    const checked =
      own.find((n) => !n.runtime) ??
      own.find((n) => n.actions.every((a) => !own.some((o) => o !== n && o.actions.includes(a))));

    it('passes with the generated policy', async () => {
      const errors = (await findings(definition, policy)).filter((f) => f.severity === 'error');
      expect(errors).toEqual([]);
    });

    (checked ? it : it.skip)('fails with missing-permission when one required action is missing', async () => {
      const action = checked?.actions[0] ?? '';
      const broken = (await findings(definition, without(policy, action))).filter(
        (f) => f.rule === 'missing-permission',
      );
      expect(broken.map((f) => f.action.split(', ')).flat()).toContain(action);
    });
  },
);

describe('iam:PassRole', () => {
  const row = findIntegration('emr-serverless:startJobRun', '.sync')!;
  const definition = definitionFor(row);
  const policy = leastPrivilegePolicy(deriveNeeds(parseDefinition(definition), CONTEXT).needs);
  const passRoleOnAll = (condition?: unknown) => ({
    ...policy,
    Statement: [
      ...policy.Statement.filter((s) => s.Action !== 'iam:PassRole'),
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', ...(condition ? { Condition: condition } : {}) },
    ],
  });

  it('ECS task definition roles: no PassRole grant is an unverifiable warning, not an error', async () => {
    const ecs = definitionFor(findIntegration('ecs:runTask', '.sync')!, { TaskDefinition: 'web:3', Cluster: 'jobs' });
    const ecsPolicy = leastPrivilegePolicy(
      deriveNeeds(parseDefinition(ecs), CONTEXT).needs.filter((n) => !n.actions.includes('iam:PassRole')),
    );
    const result = await findings(ecs, ecsPolicy);
    expect(result.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.filter((f) => f.rule === 'unverifiable')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        action: 'iam:PassRole',
        message: expect.stringContaining('the task role and execution role of web:3'),
      }),
    ]);
  });

  it('a PassRole grant with the wrong iam:PassedToService fails', async () => {
    const wrong = passRoleOnAll({ StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } });
    const missing = (await findings(definition, wrong)).filter((f) => f.rule === 'missing-permission');
    expect(missing.map((f) => f.action)).toContain('iam:PassRole');
  });

  it('PassRole on * without iam:PassedToService is over-broad; with it, that finding goes', async () => {
    const broad = (await findings(definition, passRoleOnAll())).filter(
      (f) => f.rule === 'over-broad-grant' && f.message.includes('iam:PassedToService'),
    );
    expect(broad).toHaveLength(1);
    expect(broad[0]?.fix).toContain('emr-serverless.amazonaws.com');
    const scoped = passRoleOnAll({ StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } });
    const none = (await findings(definition, scoped)).filter(
      (f) => f.rule === 'over-broad-grant' && f.message.includes('without an iam:PassedToService'),
    );
    expect(none).toEqual([]);
  });
});

describe('HTTP Task', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html#connect-http-task-permissions scopes
  // InvokeHTTPEndpoint to the state machine; the Service Authorization Reference and CDK use "*". Both pass, neither is over-broad.
  const definition = definitionFor(findIntegration('http:invoke', '')!);
  const required = deriveNeeds(parseDefinition(definition), CONTEXT).needs.filter((n) => n.tier !== 'optional');
  const policy = leastPrivilegePolicy(required);
  it.each(['*', 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent'])(
    'InvokeHTTPEndpoint on %s',
    async (resource) => {
      const statements = policy.Statement.map((s) =>
        s.Action === 'states:InvokeHTTPEndpoint' ? { ...s, Resource: resource } : s,
      );
      const result = await findings(definition, { ...policy, Statement: statements });
      expect(result.filter((f) => f.action === 'states:InvokeHTTPEndpoint')).toEqual([]);
    },
  );

  it('a grant for another endpoint fails', async () => {
    const statements = policy.Statement.map((s) =>
      s.Action === 'states:InvokeHTTPEndpoint'
        ? { ...s, Condition: { StringLike: { 'states:HTTPEndpoint': 'https://other.example.com/*' } } }
        : s,
    );
    const result = await findings(definition, { ...policy, Statement: statements });
    expect(result.filter((f) => f.rule === 'missing-permission').map((f) => f.action)).toEqual([
      'states:InvokeHTTPEndpoint',
    ]);
  });
});

describe('catalogue checks', () => {
  const lambda = findIntegration('lambda:invoke', '')!;
  const definition = definitionFor(lambda);
  const policy = leastPrivilegePolicy(deriveNeeds(parseDefinition(definition), CONTEXT).needs);
  const withStatement = (statement: Record<string, unknown>) => ({
    ...policy,
    Statement: [...policy.Statement, { Effect: 'Allow', ...statement }],
  });
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue(['s3', 'kinesis', 'firehose', 'lambda', 'states', 'dynamodb']);
  });

  it.each([
    ['s3:listObjectsV2', 's3:ListBucket'],
    ['kinesis:PutRecordBatch', 'firehose:PutRecordBatch'],
    ['s3:GetObjekt', 's3:GetObject'],
  ])('%s is an invalid-policy warning saying %s was probably meant', async (action, meant) => {
    const result = await findings(definition, withStatement({ Action: action, Resource: '*' }), catalogue);
    const invalid = result.filter((f) => f.rule === 'invalid-policy');
    expect(invalid).toEqual([
      expect.objectContaining({ severity: 'warning', action, message: expect.stringContaining(`probably ${meant}`) }),
    ]);
  });

  it('IAM action names are case-insensitive: s3:getobject is no finding', async () => {
    const result = await findings(definition, withStatement({ Action: 's3:getobject', Resource: '*' }), catalogue);
    expect(result.filter((f) => f.rule === 'invalid-policy')).toEqual([]);
  });

  it('ListBucket granted only on bucket/* is a wrong resource type', async () => {
    const statement = { Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data/*' };
    const invalid = (await findings(definition, withStatement(statement), catalogue)).filter(
      (f) => f.rule === 'invalid-policy',
    );
    expect(invalid).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('not that resource type') }),
    ]);
    const right = withStatement({ Action: 's3:ListBucket', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] });
    expect((await findings(definition, right, catalogue)).filter((f) => f.rule === 'invalid-policy')).toEqual([]);
  });

  it('a wildcard action says how many actions it reaches beyond the need', async () => {
    const wide = withStatement({
      Action: 'lambda:*',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:resize',
    });
    const broad = (await findings(definition, wide, catalogue)).filter((f) => f.rule === 'over-broad-grant');
    const reached = catalogue.actionsMatching('lambda:*')?.length ?? 0;
    expect(
      broad.some((f) => f.message.includes(`lambda:* reaches ${reached} actions, ${reached - 1} of them beyond`)),
    ).toBe(true);
  });

  it('an aws-sdk call whose derived action does not exist is an unverifiable warning', async () => {
    const sdk = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:frobnicateBucket',
          Parameters: { Bucket: 'b' },
          End: true,
        },
      },
    };
    const sdkPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const result = await findings(sdk, sdkPolicy, catalogue);
    expect(result.filter((f) => f.rule === 'unverifiable')).toEqual([
      expect.objectContaining({ severity: 'warning', action: 's3:FrobnicateBucket' }),
    ]);
  });

  it('without a catalogue the checks find nothing (the Lambda faces)', async () => {
    const result = await findings(definition, withStatement({ Action: 's3:listObjectsV2', Resource: '*' }));
    expect(result.filter((f) => f.rule === 'invalid-policy')).toEqual([]);
  });
});

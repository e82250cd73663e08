// Every row of the integration table, derived from a Task that gives its fields static values, as JSONPath
// paths and as JSONata: what the row documents is what the task needs.
// Source of the rows: https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html
// and the connect-* pages each row cites.
import { parseDefinition } from '../../lib/asl/definition';
import { deriveNeeds } from '../../lib/needs';
import { INTEGRATIONS, findIntegration } from '../../lib/needs/integrations';
import { CONTEXT, ROWS, definitionFor, sampleArguments } from '../helpers/integrations';

const taskNeeds = (definition: unknown) => {
  const result = deriveNeeds(parseDefinition(definition), CONTEXT);
  return { ...result, needs: result.needs.filter((n) => n.source.state.endsWith('.Task')) };
};

describe('integration table', () => {
  it('has one row per integration and pattern', () => {
    const keys = INTEGRATIONS.map((r) => `${r.integration} ${r.pattern}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(ROWS)('%s: static arguments give concrete needs', (_resource, row) => {
    const { needs, unmodeled } = taskNeeds(definitionFor(row));
    if (row.unverifiable !== undefined && row.unverifiableWhen === undefined) {
      expect(unmodeled.map((u) => u.reason)).toEqual([row.unverifiable]);
      return;
    }
    expect(unmodeled).toEqual([]);
    for (const grant of row.grants.filter((g) => (g.tier ?? 'required') === 'required' && g.when === undefined)) {
      const found = needs.find((n) => grant.actions.every((a) => n.actions.includes(a)));
      expect([grant.actions, found !== undefined]).toEqual([grant.actions, true]);
      if (grant.runtime === undefined && found) {
        expect([grant.actions, found.runtime, found.runtimeExpression]).toEqual([grant.actions, false, undefined]);
        for (const resource of found.resources) expect(resource).not.toMatch(/\{|\$\{/);
      }
    }
    for (const need of needs) for (const resource of need.resources) expect(resource).not.toMatch(/(?<!\$)\{|\$\{/);
    if (row.rule !== undefined) {
      expect(needs).toContainEqual(
        expect.objectContaining({
          actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
          resources: [`arn:aws:events:us-east-1:123456789012:rule/${row.rule}`],
          tier: 'required',
        }),
      );
    }
    for (const pass of (row.passRoles ?? []).filter((p) => p.hidden === undefined && !p.instanceProfile)) {
      const passNeed = needs.find((n) => n.actions.includes('iam:PassRole') && n.source.field.includes(pass.field));
      expect(passNeed?.context).toEqual({ 'iam:PassedToService': [pass.service] });
      expect(passNeed?.conditions).toEqual({ StringEquals: { 'iam:PassedToService': [pass.service] } });
      expect(passNeed?.runtime).toBe(false);
    }
  });

  const templated = ROWS.filter(([, row]) =>
    row.grants.some((g) => [...g.resources, ...Object.values(g.context ?? {})].some((t) => /(?<!\$)\{/.test(t))),
  );
  it.each(templated)('%s: JSONPath and JSONata arguments make the resources run-time', (_resource, row) => {
    const args = sampleArguments(row);
    const paths = Object.fromEntries(Object.keys(args).map((key) => [`${key}.$`, `$.${key}`]));
    const jsonata = Object.fromEntries(Object.keys(args).map((key) => [key, `{% $states.input.${key} %}`]));
    for (const variant of [paths, jsonata]) {
      const definition = definitionFor(row, variant) as {
        States: { Map: { ItemProcessor: { States: { Task: Record<string, unknown> } } } };
      };
      const task = definition.States.Map.ItemProcessor.States.Task;
      if (variant === jsonata) {
        task.QueryLanguage = 'JSONata';
        task.Arguments = task.Parameters;
        delete task.Parameters;
      }
      const { needs } = taskNeeds(definition);
      const templated = needs.filter((n) => n.source.field !== 'Resource' && n.sid !== undefined);
      expect(templated.some((n) => n.runtime)).toBe(true);
      for (const need of templated.filter((n) => n.runtime)) expect(need.runtimeExpression).toBeDefined();
    }
  });
});

describe('request context', () => {
  it('an HTTP Task endpoint given at run time makes the call a run-time need (its conditions cannot be simulated)', () => {
    const row = findIntegration('http:invoke', '')!;
    const needs = taskNeeds(
      definitionFor(row, {
        'ApiEndpoint.$': '$.url',
        Method: 'GET',
        Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' },
      }),
    ).needs;
    expect(needs.find((n) => n.actions.includes('states:InvokeHTTPEndpoint'))).toMatchObject({
      runtime: true,
      runtimeExpression: '$.url',
      context: { 'states:HTTPMethod': ['GET'] },
    });
  });
});

describe('PassRole', () => {
  const ecsSync = findIntegration('ecs:runTask', '.sync')!;

  it('ECS task definition roles are a run-time PassRole need unless Overrides name both', () => {
    const hidden = taskNeeds(definitionFor(ecsSync, { TaskDefinition: 'web:3', Cluster: 'jobs' })).needs.filter((n) =>
      n.actions.includes('iam:PassRole'),
    );
    expect(hidden).toEqual([
      expect.objectContaining({
        resources: ['arn:aws:iam::123456789012:role/*'],
        runtime: true,
        runtimeExpression:
          'the task role and execution role of web:3, if it names any (the definition does not show them)',
        tier: 'recommended',
        context: { 'iam:PassedToService': ['ecs-tasks.amazonaws.com'] },
      }),
    ]);
    const overridden = taskNeeds(
      definitionFor(ecsSync, {
        TaskDefinition: 'web:3',
        Overrides: { TaskRoleArn: 'arn:aws:iam::123456789012:role/task', ExecutionRoleArn: 'exec' },
      }),
    ).needs.filter((n) => n.actions.includes('iam:PassRole'));
    expect(overridden.map((n) => [n.resources, n.runtime])).toEqual([
      [['arn:aws:iam::123456789012:role/task'], false],
      [['arn:aws:iam::123456789012:role/exec'], false],
    ]);
  });

  it('a role given at run time is a run-time value', () => {
    const row = findIntegration('sagemaker:createTrainingJob', '.sync')!;
    const needs = taskNeeds(definitionFor(row, { TrainingJobName: 'train', 'RoleArn.$': '$.role' })).needs;
    expect(needs.find((n) => n.actions.includes('iam:PassRole'))).toMatchObject({
      resources: ['arn:aws:iam::123456789012:role/*'],
      runtime: true,
      runtimeExpression: '$.role',
    });
  });

  it('an ECS family without a revision needs every revision of the family', () => {
    const needs = taskNeeds(definitionFor(ecsSync, { TaskDefinition: 'web' })).needs;
    expect(needs.find((n) => n.actions.includes('ecs:RunTask'))?.resources).toEqual([
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:*',
    ]);
  });

  it('the HTTP Task sends the method and endpoint as context and allows "*" or the state machine', () => {
    const needs = taskNeeds(definitionFor(findIntegration('http:invoke', '')!)).needs;
    expect(needs.find((n) => n.actions.includes('states:InvokeHTTPEndpoint'))).toMatchObject({
      resources: ['arn:aws:states:us-east-1:123456789012:stateMachine:Parent'],
      context: { 'states:HTTPMethod': ['POST'], 'states:HTTPEndpoint': ['https://api.example.com/v1/orders'] },
      conditions: {
        StringEquals: { 'states:HTTPMethod': ['POST'] },
        StringLike: { 'states:HTTPEndpoint': ['https://api.example.com/v1/orders'] },
      },
    });
    expect(needs.find((n) => n.actions.includes('events:RetrieveConnectionCredentials'))?.resources).toEqual([
      'arn:aws:events:us-east-1:123456789012:connection/stripe/0b1c2d3e-aaaa',
    ]);
    expect(needs.find((n) => n.actions.includes('secretsmanager:GetSecretValue'))).toMatchObject({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection/stripe/*'],
      runtime: true,
    });
  });
});

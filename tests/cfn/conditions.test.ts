// Template Conditions on parameters without a value: both worlds are considered. A resource whose Condition cannot
// be decided is analysed as present; Fn::If on such a condition keeps the value where both branches agree and is
// unresolved (naming the parameter) where they differ; grants that may not exist make the machine UNVERIFIED.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
import { analyzeTemplate } from '../../lib/cfn/machines';
import { parseDocumentText } from '../../lib/cfn/load';
import { checkStateMachines } from '../../lib/checks/analyze';
import { EmbeddedSimulator } from '../../lib/offline/simulator';
import { buildReport } from '../../lib/report/report';
import { displayValue } from '../../lib/model/arns';
import { CASE_BUCKETS, machineTemplate } from '../helpers/rule-tester';
import { DMAP_POLICY, distributedMap } from '../checks/machines';

type Template = { Parameters?: unknown; Conditions?: unknown; Resources: Record<string, Record<string, unknown>> };

/** The rule tester's machine and role, with Parameters Env (no Default) and Stage (Default prod). */
function template(change: (t: Template) => void): Template {
  const t = machineTemplate({ definition: distributedMap(), policies: [DMAP_POLICY] }) as Template;
  t.Parameters = { Env: { Type: 'String' }, Stage: { Type: 'String', Default: 'prod' } };
  t.Conditions = {
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
    ProdAndDev: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
    ProdOrStage: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Not': [{ Condition: 'IsDev' }] }] },
    NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
  };
  change(t);
  return t;
}

async function check(t: Template, parameterOverrides?: Record<string, string>) {
  const doc = parseDocumentText(JSON.stringify(t), 'template.json');
  const machines = analyzeTemplate(doc, {
    region: 'us-east-1',
    account: '123456789012',
    partition: 'aws',
    ...(parameterOverrides ? { parameterOverrides } : {}),
    resourcePolicies: CASE_BUCKETS,
  });
  const { findings, analyses } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
  return { machines, findings, report: buildReport(analyses, findings, 'error') };
}

/** The role's inline policy moved to an AWS::IAM::Policy with `condition`. */
function conditionalPolicy(condition: string) {
  return (t: Template) => {
    const role = t.Resources.Role as { Properties: Record<string, unknown> };
    delete role.Properties.Policies;
    t.Resources.Grants = {
      Type: 'AWS::IAM::Policy',
      Condition: condition,
      Properties: { PolicyName: 'grants', PolicyDocument: DMAP_POLICY, Roles: [{ Ref: 'Role' }] },
    };
  };
}

describe('template Conditions in both worlds', () => {
  it('a machine whose Condition depends on a parameter without a value is analysed, not dropped', async () => {
    const { machines, report } = await check(template((t) => ((t.Resources.Machine as Json).Condition = 'IsProd')));
    expect(machines.map((m) => m.id)).toEqual(['Machine']);
    // Where it is not created nothing can fail; where it is, it passes: the worlds agree.
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['pass']);
  });

  it('a machine whose Condition is false by the parameter default is not created', async () => {
    const { machines } = await check(template((t) => ((t.Resources.Machine as Json).Condition = 'IsDev')));
    expect(machines).toEqual([]);
  });

  it.each([
    ['Fn::And of an unknown and a false condition is false', 'ProdAndDev', 0],
    ['Fn::Or of an unknown and a true condition is true', 'ProdOrStage', 1],
    ['Fn::Not of an unknown condition is unknown, so the resource is kept', 'NotProd', 1],
  ])('%s', async (_name, condition, count) => {
    const { machines } = await check(template((t) => ((t.Resources.Machine as Json).Condition = condition)));
    expect(machines).toHaveLength(count);
  });

  it('Fn::If on an unknown condition with equal branches keeps the value', async () => {
    const role = { 'Fn::GetAtt': ['Role', 'Arn'] };
    const { machines, report } = await check(
      template(
        (t) => (((t.Resources.Machine as Json).Properties as Json).RoleArn = { 'Fn::If': ['IsProd', role, role] }),
      ),
    );
    expect(machines[0]?.role?.arn).toMatch(/:role\//);
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['pass']);
  });

  it('Fn::If on an unknown condition with different branches is unresolved, naming the parameter', async () => {
    const { machines, findings, report } = await check(
      template(
        (t) =>
          (((t.Resources.Machine as Json).Properties as Json).RoleArn = {
            'Fn::If': ['IsProd', { 'Fn::GetAtt': ['Role', 'Arn'] }, 'arn:aws:iam::123456789012:role/dev'],
          }),
      ),
    );
    expect(displayValue(machines[0]?.roleReference ?? '')).toBe('<Fn::If IsProd on parameter Env>');
    expect(findings.filter((f) => f.rule === 'unverifiable').map((f) => f.messageId)).toEqual(['roleUnresolved']);
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['unverified']);
  });

  it('a policy whose Condition depends on a parameter without a value makes the machine UNVERIFIED, naming it', async () => {
    const { machines, findings, report } = await check(template(conditionalPolicy('IsProd')));
    expect(machines[0]?.unverifiable).toEqual([
      {
        subject: 'policy Grants (Condition IsProd on parameter Env)',
        reason: expect.stringContaining('Grants exists only when IsProd holds, which depends on parameter Env'),
        remedy:
          'Pass --parameter-overrides Env=<value> (or give the parameter a Default) to check the stack as it will be deployed.',
      },
    ]);
    const unverifiable = findings.filter((f) => f.rule === 'unverifiable');
    expect(unverifiable.map((f) => [f.messageId, f.message])).toEqual([
      [
        'machineUndecided',
        expect.stringMatching(/^Cannot decide policy Grants \(Condition IsProd on parameter Env\): /),
      ],
    ]);
    expect(unverifiable[0]?.fix).toMatch(/^Pass --parameter-overrides Env=<value>/);
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['unverified']);
  });

  it.each([
    ['true', 'prod', 'pass'],
    ['false (the policy is not created, so the needs are missing)', 'test', 'fail'],
  ])('with the parameter given, each world has its own verdict: %s', async (_name, env, verdict) => {
    const { report } = await check(template(conditionalPolicy('IsProd')), { Env: env });
    expect(report.stateMachines.map((m) => m.verdict)).toEqual([verdict]);
  });

  it('a policy with the same Condition as the machine exists whenever the machine does', async () => {
    const { machines, report } = await check(
      template((t) => {
        conditionalPolicy('IsProd')(t);
        (t.Resources.Machine as Json).Condition = 'IsProd';
      }),
    );
    expect(machines[0]?.unverifiable).toEqual([]);
    expect(report.stateMachines.map((m) => m.verdict)).toEqual(['pass']);
  });
});

type Json = Record<string, unknown>;

// A RuleTester in the style of typescript-eslint's: `ruleTester(rules).run(name, { valid, invalid })` builds each
// case through the real pipeline (template → analyzeTemplate → checkStateMachines with the embedded simulator and
// only the rules under test) and asserts the exact list of findings by rule, messageId, state and action(s).
import { analyzeTemplate } from '../../lib/cfn/machines';
import { parseDocumentText } from '../../lib/cfn/load';
import { checkStateMachines } from '../../lib/checks/analyze';
import type { Finding, MachineAnalysis, Rule } from '../../lib/checks/types';
import { bucketArnOf, type ResourcePolicies } from '../../lib/model/resource-policies';
import type { AccountSnapshot } from '../../lib/model/snapshot';
import { EmbeddedSimulator } from '../../lib/offline/simulator';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** The name the machine of `machineTemplate` gets, for ARNs in its policies. */
export const MACHINE_NAME = 'Machine';
export const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${MACHINE_NAME}`;
export const EXECUTIONS_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${MACHINE_NAME}:*`;

export const STATES_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export interface MachineSpec {
  definition: unknown;
  /** Identity policy documents of the execution role (inline policies P0, P1, …). */
  policies?: unknown[];
  type?: 'STANDARD' | 'EXPRESS';
  trust?: unknown;
  /** Instead of a role in the template: an execution role ARN (or any RoleArn value). */
  roleArn?: unknown;
  substitutions?: Record<string, string>;
  /** Suppressions in the machine's Metadata (`dmap-guard.suppress`). */
  suppress?: unknown[];
}

/** A template with one state machine named Machine and, unless roleArn is given, its role built from the policies. */
export function machineTemplate(spec: MachineSpec): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      ...(spec.suppress ? { Metadata: { 'dmap-guard': { suppress: spec.suppress } } } : {}),
      Properties: {
        StateMachineName: MACHINE_NAME,
        StateMachineType: spec.type ?? 'STANDARD',
        Definition: spec.definition,
        ...(spec.substitutions ? { DefinitionSubstitutions: spec.substitutions } : {}),
        RoleArn: spec.roleArn ?? { 'Fn::GetAtt': ['Role', 'Arn'] },
      },
    },
  };
  if (spec.roleArn === undefined) {
    resources.Role = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: spec.trust ?? STATES_TRUST,
        Policies: (spec.policies ?? []).map((document, index) => ({
          PolicyName: `P${index}`,
          PolicyDocument: document,
        })),
      },
    };
  }
  return { Resources: resources };
}

/** A policy document of Allow statements, each `[actions, resources]` (resources may be intrinsics in templates). */
export function allow(...statements: Array<[string | string[], string | string[] | Record<string, unknown>]>): unknown {
  return {
    Version: '2012-10-17',
    Statement: statements.map(([Action, Resource]) => ({ Effect: 'Allow', Action, Resource })),
  };
}

export interface RuleCase {
  name: string;
  /** A whole template (YAML or JSON text, or an object); or `machine` for one state machine and its role. */
  template?: string | Record<string, unknown>;
  machine?: MachineSpec;
  snapshot?: AccountSnapshot;
  /** Key and bucket policies outside the template (--resource-policies); defaults to CASE_BUCKETS without policies. */
  resourcePolicies?: ResourcePolicies;
}

/** The account's own buckets the cases name, known to have no bucket policy unless a case gives resourcePolicies. */
export const CASE_BUCKETS: ResourcePolicies = new Map(
  ['in-bucket', 'out-bucket', 'input', 'output', 'out', 'b', 'data', 'artifacts', 'other'].map((bucket) => [
    bucketArnOf('aws', bucket),
    { document: null, source: 'rule tester', account: ACCOUNT },
  ]),
);

export interface ExpectedFinding {
  /** Defaults to the id of the first rule under test. */
  rule?: string;
  messageId: string;
  state: string;
  /** The finding's first action ("" when it names none); or `actions` for all of them. */
  action?: string;
  actions?: string[];
  resources?: string[];
  /** Matched against the formatted text, for the parts a message id alone does not pin down. */
  message?: string | RegExp;
  /** The reason of the suppression that matched. */
  suppressed?: string;
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

/** Every finding the rules make on the case's template (suppressed ones included, marked). */
export async function findingsOf(testCase: RuleCase, rules: Rule[]): Promise<Finding[]> {
  return (await checkCase(testCase, rules)).findings;
}

/** The case's template through the real pipeline, with only `rules`. */
export async function checkCase(
  testCase: RuleCase,
  rules: Rule[],
): Promise<{ findings: Finding[]; analyses: MachineAnalysis[] }> {
  const template = testCase.template ?? (testCase.machine ? machineTemplate(testCase.machine) : undefined);
  if (template === undefined) throw new Error(`case ${testCase.name} has neither template nor machine`);
  const text = typeof template === 'string' ? template : JSON.stringify(template);
  const doc = parseDocumentText(text, typeof template === 'string' ? 'template.yaml' : 'template.json');
  const machines = analyzeTemplate(doc, {
    region: REGION,
    account: ACCOUNT,
    partition: 'aws',
    ...(testCase.snapshot ? { snapshot: testCase.snapshot } : {}),
    resourcePolicies: testCase.resourcePolicies ?? CASE_BUCKETS,
  });
  return checkStateMachines(machines, { simulator: new EmbeddedSimulator(), rules });
}

function project(finding: Finding, like: ExpectedFinding | undefined): Record<string, unknown> {
  const shown: Record<string, unknown> = { rule: finding.rule, messageId: finding.messageId, state: finding.state };
  if (like?.actions !== undefined || like?.action === undefined) shown.actions = finding.actions;
  else shown.action = finding.action;
  if (like?.resources !== undefined) shown.resources = finding.resources;
  // A matching pattern shows as itself, a failing one as the text it failed on, so the diff reads well.
  if (like?.message !== undefined)
    shown.message =
      typeof like.message !== 'string' && like.message.test(finding.message) ? String(like.message) : finding.message;
  if (finding.suppressed) shown.suppressed = finding.suppressed.reason;
  return shown;
}

function expected(error: ExpectedFinding, rule: string): Record<string, unknown> {
  const shown: Record<string, unknown> = { rule: error.rule ?? rule, messageId: error.messageId, state: error.state };
  if (error.actions !== undefined || error.action === undefined) shown.actions = error.actions ?? [];
  else shown.action = error.action;
  if (error.resources !== undefined) shown.resources = error.resources;
  if (error.suppressed !== undefined) shown.suppressed = error.suppressed;
  if (error.message !== undefined)
    shown.message = typeof error.message === 'string' ? error.message : String(error.message);
  return shown;
}

/** Tests for one rule (or a rule with the rules it runs beside): valid cases make no finding, invalid ones exactly `errors`. */
export function ruleTester(rules: Rule | Rule[]) {
  const list = Array.isArray(rules) ? rules : [rules];
  const id = (list[0] as Rule).id;
  return {
    run(name: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
      describe(name, () => {
        // jest rejects an empty table; a run may have only valid or only invalid cases.
        if (cases.valid.length > 0)
          describe('valid', () => {
            it.each(cases.valid.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
              const findings = await findingsOf(testCase, list);
              expect(findings.map((f) => project(f, undefined))).toEqual([]);
            });
          });
        if (cases.invalid.length > 0)
          describe('invalid', () => {
            it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
              expect(testCase.errors.length).toBeGreaterThan(0);
              const findings = await findingsOf(testCase, list);
              expect(findings.map((f, i) => project(f, testCase.errors[i]))).toEqual(
                testCase.errors.map((e) => expected(e, id)),
              );
            });
          });
      });
    },
  };
}

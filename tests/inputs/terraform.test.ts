// Terraform plans (`terraform show -json`) through the real pipeline: models → checkStateMachines → findings.
// Fixtures follow the documented JSON format (https://developer.hashicorp.com/terraform/internals/json-format):
// unknown values are left out of `after` and marked true in `after_unknown`; data sources read at plan time are in
// prior_state, deferred ones in resource_changes with action "read"; configuration expressions carry references.
// corpus-csv-iterator-*.json are the corpus's Terraform case (aws-samples/step-functions-workflows-collection,
// distributed-map-csv-iterator-tf, MIT-0) as a first plan and as a re-plan after apply, built by hand from its
// main.tf and statemachine.asl.json.
import { join } from 'node:path';
import { parseDocumentText, readDocumentFile } from '../../lib/cfn/load';
import { checkStateMachines } from '../../lib/checks/analyze';
import type { Finding } from '../../lib/checks/types';
import { isUnresolved } from '../../lib/model/arns';
import { analyzeTerraformPlan, isTerraformPlan, terraformMachines } from '../../lib/inputs/terraform';
import { EmbeddedSimulator } from '../../lib/offline/simulator';

const FIXTURES = join(__dirname, '..', 'fixtures', 'terraform');
const load = (name: string) => readDocumentFile(join(FIXTURES, name));

async function check(name: string): Promise<Finding[]> {
  const { findings } = await checkStateMachines(terraformMachines(load(name)), { simulator: new EmbeddedSimulator() });
  return findings;
}
const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error' && !f.suppressed);
const has = (findings: Finding[], rule: string, action: RegExp) =>
  findings.some((f) => f.rule === rule && action.test(f.action));

describe('isTerraformPlan', () => {
  it('accepts plans and states, not templates', () => {
    expect(isTerraformPlan(load('state-machine.json').value)).toBe(true);
    expect(isTerraformPlan({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } })).toBe(
      true,
    );
    expect(isTerraformPlan({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} })).toBe(false);
    expect(isTerraformPlan({ format_version: '1.2' })).toBe(false);
  });

  it('refuses a format_version with another major version, naming the file and the field', () => {
    const doc = parseDocumentText(JSON.stringify({ format_version: '2.0', planned_values: {} }), 'plan.json');
    expect(() => terraformMachines(doc)).toThrow(/plan\.json at format_version: unsupported Terraform JSON/);
  });
});

describe('aws_sfn_state_machine', () => {
  it('reads type, logging and the customer managed key, and points findings at the resource address', async () => {
    const [machine] = terraformMachines(load('state-machine.json'));
    expect(machine?.id).toBe('aws_sfn_state_machine.orders');
    expect(machine?.context).toMatchObject({ type: 'EXPRESS', logging: true, region: 'eu-west-1' });
    // kms_key_id waits for aws_kms_key.orders: the key's ARN with its key id as a run-time value.
    expect(machine?.context.encryptionKey).toMatch(
      /^arn:aws:kms:eu-west-1:111122223333:key\/\{\{dmap-guard:unresolved:/,
    );
    const findings = await check('state-machine.json');
    expect(findings.some((f) => f.rule === 'invalid-definition' && /EXPRESS/.test(f.message))).toBe(true);
    expect(has(errors(findings), 'missing-permission', /kms:Decrypt/)).toBe(true);
    expect(findings.every((f) => f.origin?.logicalId.startsWith('aws_'))).toBe(true);
  });

  it('gives origins the document can locate', () => {
    const doc = load('state-machine.json');
    const [machine] = terraformMachines(doc);
    expect(machine?.origin?.path).toEqual(['resource_changes', 0, 'change', 'after', 'definition']);
    expect(doc.locate(machine?.origin?.path ?? [])?.line).toBeGreaterThan(1);
  });
});

describe('aws_iam_role', () => {
  it('follows role_arn and a permissions boundary passed into a module, and the boundary denies', async () => {
    const [machine] = terraformMachines(load('iam-role.json'));
    expect(machine?.id).toBe('module.workflow.aws_sfn_state_machine.this');
    expect(machine?.role?.arn).toBe('arn:aws:iam::111122223333:role/orders-sfn');
    expect(machine?.role?.boundary?.id).toBe('aws_iam_policy.boundary');
    const findings = await check('iam-role.json');
    const startExecution = errors(findings).find((f) => f.action === 'states:StartExecution');
    expect(startExecution?.message).toMatch(/permissions boundary/);
    expect(startExecution?.origin?.logicalId).toBe('module.workflow.aws_sfn_state_machine.this');
  });
});

describe('aws_iam_role_policy', () => {
  it('attaches a policy to a role whose name is generated at apply, through the configuration reference', async () => {
    const [machine] = terraformMachines(load('iam-role-policy.json'));
    expect(machine?.role?.identityPolicies.map((p) => p.id)).toEqual(['aws_iam_role_policy.run']);
    expect(isUnresolved(machine?.role?.arn ?? '')).toBe(true);
    expect(errors(await check('iam-role-policy.json'))).toEqual([]);
  });
});

describe('aws_iam_policy and aws_iam_role_policy_attachment', () => {
  it('links the attachment (count) to the policy whose ARN waits for apply, and judges its statements', async () => {
    const [machine] = terraformMachines(load('iam-policy-attachment.json'));
    expect(machine?.role?.identityPolicies.map((p) => p.id)).toEqual(['aws_iam_policy.run']);
    const findings = await check('iam-policy-attachment.json');
    expect(errors(findings).map((f) => `${f.rule} ${f.action}`)).toEqual(['missing-permission s3:GetObject']);
    expect(findings.find((f) => f.rule === 'over-broad-grant')?.origin?.logicalId).toBe('aws_iam_policy.run');
  });
});

describe('policies for roles known only after apply', () => {
  interface Plan {
    resource_changes: Array<{
      address: string;
      change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> };
    }>;
    planned_values: { root_module: { resources: Array<{ address: string }> } };
    configuration: { root_module: { resources: Array<{ address: string; expressions: Record<string, unknown> }> } };
  }
  const variant = (edit: (plan: Plan) => void) => {
    const plan = load('iam-policy-attachment.json').value as Plan;
    edit(plan);
    return terraformMachines(parseDocumentText(JSON.stringify(plan), 'plan.json'));
  };
  const change = (plan: Plan, address: string) => plan.resource_changes.find((c) => c.address === address)?.change;
  const config = (plan: Plan, address: string) =>
    plan.configuration.root_module.resources.find((r) => r.address === address)?.expressions;

  it('an attachment to a role named only at apply, with no reference, makes every role unverifiable', async () => {
    const [machine] = variant((plan) => {
      const attachment = change(plan, 'aws_iam_role_policy_attachment.run[0]');
      if (attachment) {
        delete attachment.after.role;
        attachment.after_unknown.role = true;
      }
      const expressions = config(plan, 'aws_iam_role_policy_attachment.run');
      if (expressions) expressions.role = { references: ['var.role_name'] };
    });
    expect(machine?.role?.unknown).toEqual([
      'aws_iam_role_policy_attachment.run[0] attaches a policy to a role known only after apply',
    ]);
    const { findings } = await checkStateMachines(machine ? [machine] : [], { simulator: new EmbeddedSimulator() });
    expect(errors(findings)).toEqual([]);
  });

  it('managed_policy_arns set in the configuration and known only after apply follows its references', () => {
    const [machine] = variant((plan) => {
      const attachment = (address: string) => address.startsWith('aws_iam_role_policy_attachment');
      plan.resource_changes = plan.resource_changes.filter((c) => !attachment(c.address));
      const planned = plan.planned_values.root_module;
      planned.resources = planned.resources.filter((r) => !attachment(r.address));
      const role = change(plan, 'aws_iam_role.sfn');
      if (role) role.after_unknown.managed_policy_arns = true;
      const expressions = config(plan, 'aws_iam_role.sfn');
      if (expressions)
        expressions.managed_policy_arns = { references: ['aws_iam_policy.run.arn', 'aws_iam_policy.run'] };
    });
    expect(machine?.role?.identityPolicies.map((p) => p.id)).toEqual(['aws_iam_policy.run']);
    expect(machine?.role?.unknown).toEqual([]);
  });
});

describe('data.aws_iam_policy_document', () => {
  it('uses the rendered JSON when read at plan time and the statement blocks when deferred; unknowns never pass', async () => {
    const [machine] = terraformMachines(load('policy-document.json'));
    expect(machine?.role?.trust?.document).toMatchObject({ Statement: [{ Action: 'sts:AssumeRole' }] });
    expect(machine?.role?.unknown).toEqual([
      'role policy run depends on data.aws_iam_policy_document.run.statement[4].resources[0], known only after apply',
    ]);
    const findings = await check('policy-document.json');
    // The statements that are known are credited; the ResultWriter's grant waits for the bucket ARN.
    expect(errors(findings)).toEqual([]);
    expect(has(findings, 'missing-permission', /s3:GetObject/)).toBe(false);
    expect(findings.some((f) => f.rule === 'unverifiable' && f.action === 's3:PutObject')).toBe(true);
  });
});

describe('aws_s3_bucket_server_side_encryption_configuration', () => {
  it('keys the bucket (named through aws_s3_bucket) with the aws_kms_key, and the role lacks KMS', async () => {
    const [machine] = terraformMachines(load('s3-encryption.json'));
    expect(Object.keys(machine?.context.bucketKeys ?? {})).toEqual(['orders-results']);
    const findings = errors(await check('s3-encryption.json'));
    expect(has(findings, 'missing-permission', /kms:GenerateDataKey/)).toBe(true);
  });
});

describe('resource policies (kept for the resource-policy checks)', () => {
  it('collects aws_s3_bucket_policy documents, from a data source read at plan time', () => {
    const { resourcePolicies } = analyzeTerraformPlan(load('s3-bucket-policy.json'));
    expect(resourcePolicies).toEqual([
      expect.objectContaining({
        kind: 's3-bucket',
        address: 'aws_s3_bucket_policy.input',
        target: 'orders-input',
        document: expect.objectContaining({ Statement: [expect.objectContaining({ Effect: 'Deny' })] }),
      }),
    ]);
  });

  it('collects aws_kms_key policies, with the key ARN waiting for apply', () => {
    const { resourcePolicies } = analyzeTerraformPlan(load('kms-key.json'));
    expect(resourcePolicies).toHaveLength(1);
    expect(resourcePolicies[0]).toMatchObject({ kind: 'kms-key', address: 'aws_kms_key.results' });
    expect(isUnresolved(resourcePolicies[0]?.target ?? '')).toBe(true);
    expect(resourcePolicies[0]?.document).toMatchObject({ Statement: [{ Sid: 'Root', Action: 'kms:*' }] });
  });
});

describe("the corpus's Terraform case (distributed-map-csv-iterator-tf)", () => {
  it('first plan: renders template_file with the table name as a run-time value; the unknown policy blocks a pass', async () => {
    const [machine] = terraformMachines(load('corpus-csv-iterator-first-plan.json'));
    expect(machine?.definitionUnavailable).toBeUndefined();
    expect(JSON.stringify(machine?.definition)).toContain(
      '{{dmap-guard:unresolved:data.template_file.SFDefinitionFile.vars.TableName}}',
    );
    expect(machine?.context).toMatchObject({ region: 'us-east-1', logging: true, tracing: true });
    expect(machine?.role?.unknown).toEqual(['policy of aws_iam_policy.StateMachinePolicy is known only after apply']);
    const findings = await check('corpus-csv-iterator-first-plan.json');
    expect(errors(findings)).toEqual([]);
    expect(findings.some((f) => f.rule === 'unverifiable')).toBe(true);
    expect(has(findings, 'runtime-resource', /dynamodb:PutItem/)).toBe(true);
  });

  it('first plan without the template_file in it: the definition is unavailable, which never passes', async () => {
    const plan = load('corpus-csv-iterator-first-plan.json').value as { resource_changes: Array<{ type: string }> };
    plan.resource_changes = plan.resource_changes.filter((change) => change.type !== 'template_file');
    const [machine] = terraformMachines(parseDocumentText(JSON.stringify(plan), 'plan.json'));
    expect(machine?.definitionUnavailable).toMatch(
      /^definition of aws_sfn_state_machine\.sfn_state_machine is known only after apply; run dmap-guard on a plan made after the first apply/,
    );
    const { findings } = await checkStateMachines(machine ? [machine] : [], { simulator: new EmbeddedSimulator() });
    expect(findings.map((f) => f.rule)).toContain('invalid-definition');
  });

  it('after apply: every value known; the over-broad grants of the sample are reported on the policy', async () => {
    const findings = await check('corpus-csv-iterator-applied.json');
    expect(findings.some((f) => f.rule === 'unverifiable')).toBe(false);
    const broad = findings.filter((f) => f.rule === 'over-broad-grant');
    expect(broad.map((f) => f.action)).toContain('states:StartExecution');
    expect(broad.every((f) => f.origin?.logicalId === 'aws_iam_policy.StateMachinePolicy')).toBe(true);
    // The sample's role grants s3:GetObject on every object: whatever the run-time key is, the call is allowed.
    expect(has(findings, 'runtime-resource', /s3:GetObject/)).toBe(false);
  });

  it('reads `terraform show -json` of the state the same way', async () => {
    const plan = load('corpus-csv-iterator-applied.json').value as { prior_state: { values: unknown } };
    const state = { format_version: '1.0', terraform_version: '1.11.4', values: plan.prior_state.values };
    const machines = terraformMachines(parseDocumentText(JSON.stringify(state), 'state.json'), { region: 'us-east-1' });
    const { findings } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
    expect(machines.map((m) => m.id)).toEqual(['aws_sfn_state_machine.sfn_state_machine']);
    expect(findings.map((f) => `${f.rule} ${f.action}`).sort()).toEqual(
      (await check('corpus-csv-iterator-applied.json')).map((f) => `${f.rule} ${f.action}`).sort(),
    );
  });
});

// Terraform plans (`terraform show -json`) through the real pipeline: models → checkStateMachines → findings.
// Fixtures follow the documented JSON format (https://developer.hashicorp.com/terraform/internals/json-format):
// unknown values are left out of `after` and marked true in `after_unknown`; data sources read at plan time are in
// prior_state, deferred ones in resource_changes with action "read"; configuration expressions carry references.
// corpus-csv-iterator-*.json are the corpus's Terraform case (aws-samples/step-functions-workflows-collection,
// distributed-map-csv-iterator-tf, MIT-0) as a first plan and as a re-plan after apply, built by hand from its
// main.tf and statemachine.asl.json.
import { readFileSync } from 'node:fs';
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
    expect(findings.find((f) => f.rule === 'over-broad-grant')?.origin?.logicalId).toBe('aws_iam_policy.run');
    // orders-input is outside the plan: its bucket policy could allow the read the role lacks, until it is given.
    expect(errors(findings)).toEqual([]);
    expect(findings.find((f) => f.messageId === 'resourcePolicyUnknown')?.resources).toEqual([
      'arn:aws:s3:::orders-input',
    ]);
    const resourcePolicies = new Map([['arn:aws:s3:::orders-input', { document: null, source: 'policies.json' }]]);
    const given = await checkStateMachines(
      terraformMachines(load('iam-policy-attachment.json'), { resourcePolicies }),
      {
        simulator: new EmbeddedSimulator(),
      },
    );
    expect(errors(given.findings).map((f) => `${f.rule} ${f.action}`)).toEqual(['missing-permission s3:GetObject']);
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
  it('reads statement blocks whose condition test, variable or principal type is "__proto__" as plain keys', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES, 'policy-document.json'), 'utf8'));
    const statement = doc.resource_changes[4].change.after.statement[0];
    statement.condition = [{ test: '__proto__', variable: '__proto__', values: ['polluted'] }];
    statement.principals = [{ type: '__proto__', identifiers: ['polluted'] }];
    const plan = parseDocumentText(JSON.stringify(doc), 'plan.json');
    const documents = terraformMachines(plan)
      .flatMap((m) => m.role?.identityPolicies ?? [])
      .map((p) => p.document);
    const read = JSON.stringify(documents);
    expect(read).toContain('"Condition":{"__proto__":{"__proto__":["polluted"]}}');
    expect(read).toContain('"Principal":{"__proto__":["polluted"]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('__proto__.polluted');
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

describe('key and bucket policies', () => {
  // resource-policies.json mirrors tests/fixtures/check/bucket-policy-deny-secure-transport.json as a plan: the key
  // exists (a re-plan), the buckets and the bucket policy (naming its bucket through aws_s3_bucket.output.id) are new.
  interface Change {
    address: string;
    type: string;
    change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> };
  }
  interface Plan {
    resource_changes: Change[];
    planned_values: { root_module: { resources: Array<{ address: string; values: Record<string, unknown> }> } };
    configuration: { root_module: { resources: Array<{ address: string; expressions: Record<string, unknown> }> } };
  }
  const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const keyAdminsOnly = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KeyAdmins',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
  const plan = (edit: (plan: Plan) => void = () => undefined) => {
    const value = load('resource-policies.json').value as Plan;
    edit(value);
    return parseDocumentText(JSON.stringify(value), 'plan.json');
  };
  const change = (p: Plan, address: string) => p.resource_changes.find((c) => c.address === address)?.change;
  const expressions = (p: Plan, address: string) =>
    p.configuration.root_module.resources.find((r) => r.address === address)?.expressions ?? {};
  /** Add a resource to the plan (created by it), with its values, unknowns and configuration expressions. */
  const add = (p: Plan, type: string, name: string, after: object, unknown: object, config: object) => {
    const address = `${type}.${name}`;
    p.resource_changes.push({
      address,
      type,
      name,
      mode: 'managed',
      change: { actions: ['create'], after, after_unknown: unknown },
    } as unknown as Change);
    p.configuration.root_module.resources.push({ address, mode: 'managed', type, name, expressions: config } as never);
  };
  const remove = (p: Plan, address: string) => {
    p.resource_changes = p.resource_changes.filter((c) => c.address !== address);
    p.planned_values.root_module.resources = p.planned_values.root_module.resources.filter(
      (r) => r.address !== address,
    );
  };
  const findingsOf = async (doc = plan(), options: Parameters<typeof terraformMachines>[1] = {}) =>
    (await checkStateMachines(terraformMachines(doc, options), { simulator: new EmbeddedSimulator() })).findings;
  const unknownPolicies = (findings: Finding[]) =>
    findings.filter((f) => f.messageId === 'resourcePolicyUnknown').map((f) => f.resources.join(','));

  it('reads the key policy, the bucket policy through its aws_s3_bucket, and knows new buckets have none', () => {
    const { resourcePolicies, machines } = analyzeTerraformPlan(plan());
    expect(machines[0]?.resourcePolicies).toBe(resourcePolicies);
    expect(resourcePolicies.get(KEY_ARN)).toMatchObject({
      document: { Statement: [{ Sid: 'EnableIAMPolicies' }] },
      source: 'plan.json (policy of aws_kms_key.results)',
      account: '111122223333',
      grants: [],
    });
    expect(resourcePolicies.get('arn:aws:s3:::output-bucket')).toMatchObject({
      document: { Statement: [{ Sid: 'TlsOnly', Effect: 'Deny' }] },
      source: 'plan.json (aws_s3_bucket_policy.output)',
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(resourcePolicies.get('arn:aws:s3:::input-bucket')).toEqual({
      document: null,
      source: 'plan.json (aws_s3_bucket.input, no bucket policy)',
      account: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('a bucket policy Deny on aws:SecureTransport false does not apply: Step Functions calls S3 over TLS', async () => {
    const findings = await findingsOf();
    expect(errors(findings)).toEqual([]);
    expect(findings.filter((f) => f.rule === 'unverifiable' || f.rule === 'missing-permission')).toEqual([]);
  });

  it('a key policy naming neither the account root nor the role: the key policy is what is missing', async () => {
    const findings = await findingsOf(
      plan((p) => {
        const key = change(p, 'aws_kms_key.results');
        if (key) key.after.policy = keyAdminsOnly;
        expressions(p, 'aws_kms_key.results').policy = { constant_value: keyAdminsOnly };
      }),
    );
    const missing = errors(findings).filter((f) => f.rule === 'missing-permission');
    expect(missing.map((f) => f.action)).toContain('kms:GenerateDataKey');
    expect(missing[0]?.fix).toMatch(/^Add to the key policy of arn:aws:kms:eu-west-1:111122223333:key\/1234abcd/);
  });

  it('aws_kms_key_policy replaces the key policy, naming the key through its reference', async () => {
    const doc = plan((p) =>
      add(
        p,
        'aws_kms_key_policy',
        'results',
        { policy: keyAdminsOnly },
        { key_id: true, id: true },
        {
          key_id: { references: ['aws_kms_key.results.id', 'aws_kms_key.results'] },
          policy: { constant_value: keyAdminsOnly },
        },
      ),
    );
    expect(analyzeTerraformPlan(doc).resourcePolicies.get(KEY_ARN)?.source).toBe(
      'plan.json (aws_kms_key_policy.results)',
    );
    expect(has(errors(await findingsOf(doc)), 'missing-permission', /kms:GenerateDataKey/)).toBe(true);
  });

  it('an aws_kms_grant in the plan may be for the role: without the key policy, the need is unverifiable', async () => {
    const doc = plan((p) => {
      const key = change(p, 'aws_kms_key.results');
      if (key) key.after.policy = keyAdminsOnly;
      add(
        p,
        'aws_kms_grant',
        'sfn',
        { operations: ['GenerateDataKey'] },
        { key_id: true, grantee_principal: true },
        {
          key_id: { references: ['aws_kms_key.results.key_id', 'aws_kms_key.results'] },
        },
      );
    });
    expect(analyzeTerraformPlan(doc).resourcePolicies.get(KEY_ARN)?.grants).toBeUndefined();
    const findings = await findingsOf(doc);
    expect(has(errors(findings), 'missing-permission', /kms:/)).toBe(false);
    expect(findings.some((f) => f.rule === 'unverifiable' && f.resources.includes(KEY_ARN))).toBe(true);
  });

  it('a key the configuration gives no policy has the default key policy: the account root, so IAM policies decide', async () => {
    const doc = plan((p) => {
      const key = change(p, 'aws_kms_key.results');
      if (key) delete key.after.policy;
      const planned = p.planned_values.root_module.resources.find((r) => r.address === 'aws_kms_key.results');
      if (planned) delete planned.values.policy;
      delete expressions(p, 'aws_kms_key.results').policy;
      if (key) key.after_unknown.policy = true;
    });
    expect(analyzeTerraformPlan(doc).resourcePolicies.get(KEY_ARN)).toMatchObject({
      source: 'plan.json (aws_kms_key.results, default key policy)',
      document: { Statement: [{ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*' }] },
    });
    expect(errors(await findingsOf(doc))).toEqual([]);
  });

  it('a bucket policy known only after apply is unknown, not absent: the needs it decides are unverifiable', async () => {
    const doc = plan((p) => {
      const policy = change(p, 'aws_s3_bucket_policy.output');
      if (policy) {
        delete policy.after.policy;
        policy.after_unknown.policy = true;
      }
      expressions(p, 'aws_s3_bucket_policy.output').policy = {
        references: ['data.aws_iam_policy_document.tls.json', 'data.aws_iam_policy_document.tls'],
      };
      // The data source waits for the bucket's ARN: its statement's resources are run-time values.
      add(
        p,
        'aws_iam_policy_document',
        'tls',
        {
          statement: [
            { effect: 'Deny', actions: ['s3:*'], resources: [null], principals: [{ type: '*', identifiers: ['*'] }] },
          ],
        },
        { json: true, id: true, statement: [{ resources: [true] }] },
        {},
      );
      const data = p.resource_changes[p.resource_changes.length - 1] as unknown as Record<string, unknown>;
      data.mode = 'data';
      data.address = 'data.aws_iam_policy_document.tls';
      const config = p.configuration.root_module.resources[p.configuration.root_module.resources.length - 1];
      Object.assign(config as object, { mode: 'data', address: 'data.aws_iam_policy_document.tls' });
    });
    expect(analyzeTerraformPlan(doc).resourcePolicies.has('arn:aws:s3:::output-bucket')).toBe(false);
    const findings = await findingsOf(doc);
    expect(errors(findings)).toEqual([]);
    expect(unknownPolicies(findings)).toEqual(['arn:aws:s3:::output-bucket']);
  });

  it('a bucket policy whose bucket cannot be told may be on any bucket of the plan', () => {
    const doc = plan((p) => {
      expressions(p, 'aws_s3_bucket_policy.output').bucket = { references: ['var.bucket'] };
    });
    const { resourcePolicies } = analyzeTerraformPlan(doc);
    expect(resourcePolicies.has('arn:aws:s3:::input-bucket')).toBe(false);
    expect(resourcePolicies.has('arn:aws:s3:::output-bucket')).toBe(false);
    expect(resourcePolicies.has(KEY_ARN)).toBe(true);
  });

  it('a bucket the plan knows to be in another Region (a provider alias) is not claimed to be in the plan Region', () => {
    const doc = plan((p) => {
      const input = change(p, 'aws_s3_bucket.input');
      if (input) {
        input.after.region = 'us-west-2';
        delete input.after_unknown.region;
      }
    });
    const { resourcePolicies } = analyzeTerraformPlan(doc);
    expect(resourcePolicies.get('arn:aws:s3:::input-bucket')).toEqual({
      document: null,
      source: 'plan.json (aws_s3_bucket.input, no bucket policy)',
      account: '111122223333',
    });
  });

  it("a bucket policy on a bucket whose name waits for apply (bucket_prefix) is that bucket's alone", () => {
    const doc = plan((p) => {
      const output = change(p, 'aws_s3_bucket.output');
      if (output) {
        delete output.after.bucket;
        output.after_unknown.bucket = true;
      }
      const planned = p.planned_values.root_module.resources.find((r) => r.address === 'aws_s3_bucket.output');
      if (planned) delete planned.values.bucket;
      expressions(p, 'aws_s3_bucket.output').bucket_prefix = { constant_value: 'output-' };
      delete expressions(p, 'aws_s3_bucket.output').bucket;
    });
    const { resourcePolicies } = analyzeTerraformPlan(doc);
    expect(resourcePolicies.has('arn:aws:s3:::output-bucket')).toBe(false);
    expect(resourcePolicies.get('arn:aws:s3:::input-bucket')?.document).toBeNull();
  });

  it('a bucket outside the plan is unverifiable until its policy is given (--resource-policies)', async () => {
    const doc = plan((p) => remove(p, 'aws_s3_bucket.input'));
    const outside = await findingsOf(doc);
    expect(errors(outside)).toEqual([]);
    expect(unknownPolicies(outside)).toEqual(['arn:aws:s3:::input-bucket']);
    const given = new Map([['arn:aws:s3:::input-bucket', { document: null, source: 'policies.json' }]]);
    const decided = await findingsOf(doc, { resourcePolicies: given });
    expect(decided.filter((f) => f.rule === 'unverifiable')).toEqual([]);
    expect(errors(decided)).toEqual([]);
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

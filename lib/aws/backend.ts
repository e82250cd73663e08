// The Backend port on the AWS SDK: IAM, Step Functions, S3, KMS and CloudFormation reads.
import { GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { messageOf } from '../model/errors';
import type { PolicySource, RoleModel } from '../model/state-machine';
import type { Backend, DeployedStateMachine } from '../ports/backend';
import type { AccountSnapshot } from '../model/snapshot';
import type { AwsClients } from './clients';
import { fetchPresignedPayload, readStreamCapped } from './payload';
import { IamSimulator, SimulationCache } from './simulate';

/** S3 objects and payloads larger than this are refused (definitions are limited to 1 MB by Step Functions). */
export const MAX_OBJECT_BYTES = 8 * 1024 * 1024;

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

const AWS_MANAGED = /^arn:[^:]+:iam::aws:policy\//;

export class AwsBackend implements Backend {
  readonly simulators: IamSimulator[] = [];
  /** Per instance (one hook invocation, one audit run): IAM answers and managed policies are asked once. */
  private readonly simulations = new SimulationCache();
  private readonly managedPolicies = new Map<string, Promise<PolicySource>>();

  constructor(
    private readonly clients: AwsClients,
    private readonly abortSignal?: AbortSignal,
  ) {}

  private get options() {
    return this.abortSignal ? { abortSignal: this.abortSignal } : {};
  }

  simulator(pendingPolicies: unknown[]): IamSimulator {
    const simulator = new IamSimulator(this.clients.iam, pendingPolicies, this.abortSignal, {
      cache: this.simulations,
    });
    this.simulators.push(simulator);
    return simulator;
  }

  private managedPolicy(arn: string): Promise<PolicySource> {
    let policy = this.managedPolicies.get(arn);
    if (!policy) this.managedPolicies.set(arn, (policy = this.readManagedPolicy(arn)));
    return policy;
  }

  private async readManagedPolicy(arn: string): Promise<PolicySource> {
    const policy = await this.clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }), this.options);
    const version = await this.clients.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }),
      this.options,
    );
    const source: PolicySource = {
      id: arn,
      name: `managed policy ${policy.Policy?.PolicyName ?? arn}`,
      document: version.PolicyVersion?.Document,
    };
    if (AWS_MANAGED.test(arn)) source.fixedActions = true;
    return source;
  }

  async readRole(arn: string): Promise<RoleModel> {
    const name = arn.split('/').pop() ?? arn;
    const model: RoleModel = { arn, identityPolicies: [], unknown: [] };
    try {
      const role = await this.clients.iam.send(new GetRoleCommand({ RoleName: name }), this.options);
      if (role.Role?.AssumeRolePolicyDocument)
        model.trust = {
          id: `${name}/AssumeRolePolicyDocument`,
          name: `trust policy of role ${name}`,
          document: role.Role.AssumeRolePolicyDocument,
        };
      let marker: string | undefined;
      do {
        const page = await this.clients.iam.send(
          new ListRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
          this.options,
        );
        for (const policyName of page.PolicyNames ?? []) {
          const inline = await this.clients.iam.send(
            new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }),
            this.options,
          );
          model.identityPolicies.push({
            id: `${name}/${policyName}`,
            name: `inline policy ${policyName} of role ${name}`,
            document: inline.PolicyDocument,
          });
        }
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      do {
        const page = await this.clients.iam.send(
          new ListAttachedRolePoliciesCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
          this.options,
        );
        for (const attached of page.AttachedPolicies ?? [])
          if (attached.PolicyArn) model.identityPolicies.push(await this.managedPolicy(attached.PolicyArn));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      const boundary = role.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
      if (boundary) model.boundary = await this.managedPolicy(boundary);
    } catch (error) {
      if (errorName(error) === 'AbortError') throw error;
      model.unknown.push(`role ${arn} could not be read (${errorName(error) || 'error'}: ${messageOf(error)})`);
    }
    return model;
  }

  async snapshotOf(roleArns: string[], policyArns: string[]): Promise<AccountSnapshot> {
    const snapshot: AccountSnapshot = { roles: new Map(), policies: new Map() };
    for (const arn of new Set(roleArns)) {
      const role = await this.readRole(arn);
      if (role.unknown.length > 0) continue;
      const managed = role.identityPolicies.filter((p) => p.id.startsWith('arn:'));
      for (const policy of [...managed, ...(role.boundary ? [role.boundary] : [])])
        snapshot.policies.set(policy.id, policy);
      snapshot.roles.set(arn, {
        arn,
        name: arn.split('/').pop() ?? arn,
        inline: role.identityPolicies.filter((p) => !p.id.startsWith('arn:')),
        attached: managed.map((p) => p.id),
        ...(role.boundary ? { boundary: role.boundary.id } : {}),
        ...(role.trust ? { trust: role.trust.document } : {}),
      });
    }
    for (const arn of new Set(policyArns)) {
      if (snapshot.policies.has(arn)) continue;
      try {
        snapshot.policies.set(arn, await this.managedPolicy(arn));
      } catch (error) {
        if (errorName(error) === 'AbortError') throw error;
        // Left out: the template analysis reports it as unverifiable.
      }
    }
    return snapshot;
  }

  async bucketKey(bucket: string): Promise<string | undefined> {
    let encryption;
    try {
      encryption = await this.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }), this.options);
    } catch (error) {
      if (['ServerSideEncryptionConfigurationNotFoundError', 'NoSuchBucket'].includes(errorName(error)))
        return undefined;
      throw error;
    }
    for (const rule of encryption.ServerSideEncryptionConfiguration?.Rules ?? []) {
      const byDefault = rule.ApplyServerSideEncryptionByDefault;
      if (!byDefault?.SSEAlgorithm?.startsWith('aws:kms') || !byDefault.KMSMasterKeyID) continue;
      const key = byDefault.KMSMasterKeyID;
      if (/^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(key)) return key;
      // An alias or a bare key id: KMS knows the key ARN.
      const described = await this.clients.kms.send(new DescribeKeyCommand({ KeyId: key }), this.options);
      return described.KeyMetadata?.Arn ?? key;
    }
    return undefined;
  }

  async stackTemplate(stackId: string): Promise<string | undefined> {
    try {
      const response = await this.clients.cloudformation.send(
        new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Processed' }),
        this.options,
      );
      return response.TemplateBody;
    } catch (error) {
      if (errorName(error) === 'ValidationError') return undefined;
      throw error;
    }
  }

  async stackResources(stackId: string): Promise<Record<string, string>> {
    const resources: Record<string, string> = {};
    let token: string | undefined;
    try {
      do {
        const page = await this.clients.cloudformation.send(
          new ListStackResourcesCommand({ StackName: stackId, ...(token ? { NextToken: token } : {}) }),
          this.options,
        );
        for (const summary of page.StackResourceSummaries ?? []) {
          if (summary.LogicalResourceId && summary.PhysicalResourceId)
            resources[summary.LogicalResourceId] = summary.PhysicalResourceId;
        }
        token = page.NextToken;
      } while (token);
    } catch (error) {
      if (errorName(error) === 'ValidationError') return {};
      throw error;
    }
    return resources;
  }

  async objectText(bucket: string, key: string, version?: string): Promise<string> {
    const object = await this.clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
      this.options,
    );
    const location = `s3://${bucket}/${key}${version ? ` (version ${version})` : ''}`;
    if ((object.ContentLength ?? 0) > MAX_OBJECT_BYTES)
      throw new Error(`${location} is ${object.ContentLength} bytes; at most ${MAX_OBJECT_BYTES} are read`);
    if (!object.Body) return '';
    // In Node the SDK's body is a Readable, which is async iterable chunk by chunk.
    const stream = object.Body as unknown as AsyncIterable<Uint8Array>;
    return readStreamCapped(
      stream,
      MAX_OBJECT_BYTES,
      () => new Error(`${location} has more than ${MAX_OBJECT_BYTES} bytes; at most ${MAX_OBJECT_BYTES} are read`),
    );
  }

  fetchPayload(url: string): Promise<string> {
    return fetchPresignedPayload(url, MAX_OBJECT_BYTES, this.abortSignal);
  }

  async describeStateMachine(arn: string): Promise<DeployedStateMachine> {
    const machine = await this.clients.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: arn }),
      this.options,
    );
    const result: DeployedStateMachine = {
      arn,
      name: machine.name ?? arn.split(':').pop() ?? arn,
      type: machine.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definition: machine.definition ?? '',
      roleArn: machine.roleArn ?? '',
      logging: machine.loggingConfiguration?.level !== undefined && machine.loggingConfiguration.level !== 'OFF',
      tracing: machine.tracingConfiguration?.enabled === true,
    };
    if (
      machine.encryptionConfiguration?.type === 'CUSTOMER_MANAGED_KMS_KEY' &&
      machine.encryptionConfiguration.kmsKeyId
    )
      result.encryptionKey = machine.encryptionConfiguration.kmsKeyId;
    return result;
  }

  async listStateMachines(): Promise<string[]> {
    const arns: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.clients.sfn.send(
        new ListStateMachinesCommand({ ...(token ? { nextToken: token } : {}) }),
        this.options,
      );
      for (const machine of page.stateMachines ?? []) if (machine.stateMachineArn) arns.push(machine.stateMachineArn);
      token = page.nextToken;
    } while (token);
    return arns;
  }
}

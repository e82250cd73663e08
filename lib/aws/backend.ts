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
import { DescribeKeyCommand, GetKeyPolicyCommand, ListGrantsCommand } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { messageOf } from '../model/errors';
import type { PolicySource, RoleModel } from '../model/state-machine';
import { type Backend, type DeployedStateMachine, type PolicyRead } from '../ports/backend';
import type { KeyGrant, Unreadable } from '../model/resource-policies';
import type { AccountSnapshot } from '../model/snapshot';
import type { AwsClients } from './clients';
import { readBucketRegion } from './bucket-region';
import { fetchPresignedPayload, readStreamCapped } from './payload';
import { errorName, unreadable, unreadablePolicy } from './read-errors';
import { IamSimulator, SimulationCache } from './simulate';

/** S3 objects and payloads larger than this are refused (definitions are limited to 1 MB by Step Functions). */
export const MAX_OBJECT_BYTES = 8 * 1024 * 1024;

const AWS_MANAGED = /^arn:[^:]+:iam::aws:policy\//;

/** ListGrants pages read per key and role (100 grants a page), so a key with endless grants stays bounded. */
export const MAX_GRANT_PAGES = 20;

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
      unreadable(
        error,
        `default encryption of bucket ${bucket}`,
        'GetBucketEncryption',
        `grant the functions' role s3:GetEncryptionConfiguration on arn:aws:s3:::${bucket}`,
      );
    }
    for (const rule of encryption.ServerSideEncryptionConfiguration?.Rules ?? []) {
      const byDefault = rule.ApplyServerSideEncryptionByDefault;
      if (!byDefault?.SSEAlgorithm?.startsWith('aws:kms') || !byDefault.KMSMasterKeyID) continue;
      const key = byDefault.KMSMasterKeyID;
      if (/^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(key)) return key;
      // An alias or a bare key id: KMS knows the key ARN.
      try {
        const described = await this.clients.kms.send(new DescribeKeyCommand({ KeyId: key }), this.options);
        return described.KeyMetadata?.Arn ?? key;
      } catch (error) {
        unreadable(
          error,
          `key ${key} of bucket ${bucket}`,
          'DescribeKey',
          `grant the functions' role kms:DescribeKey on that key`,
        );
      }
    }
    return undefined;
  }

  async keyPolicy(keyArn: string): Promise<PolicyRead> {
    try {
      const response = await this.clients.kms.send(
        new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }),
        this.options,
      );
      return { document: response.Policy ?? null };
    } catch (error) {
      if (errorName(error) === 'AbortError') throw error;
      return unreadablePolicy('kms:GetKeyPolicy', error);
    }
  }

  async keyGrants(keyArn: string, roleArn: string): Promise<KeyGrant[] | Unreadable> {
    const grants: KeyGrant[] = [];
    let marker: string | undefined;
    try {
      for (let page = 0; page < MAX_GRANT_PAGES; page++) {
        const response = await this.clients.kms.send(
          new ListGrantsCommand({ KeyId: keyArn, GranteePrincipal: roleArn, ...(marker ? { Marker: marker } : {}) }),
          this.options,
        );
        for (const entry of response.Grants ?? []) {
          const grant: KeyGrant = { operations: [...(entry.Operations ?? [])] };
          if (entry.GrantId !== undefined) grant.grantId = entry.GrantId;
          if (entry.Constraints?.EncryptionContextEquals)
            grant.encryptionContextEquals = entry.Constraints.EncryptionContextEquals;
          if (entry.Constraints?.EncryptionContextSubset)
            grant.encryptionContextSubset = entry.Constraints.EncryptionContextSubset;
          grants.push(grant);
        }
        if (!response.Truncated || !response.NextMarker) return grants;
        marker = response.NextMarker;
      }
    } catch (error) {
      if (errorName(error) === 'AbortError') throw error;
      return unreadablePolicy('kms:ListGrants', error);
    }
    return { unreadable: `kms:ListGrants returned more than ${MAX_GRANT_PAGES} pages of grants for ${roleArn}` };
  }

  async bucketPolicy(bucket: string): Promise<PolicyRead> {
    try {
      const response = await this.clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }), this.options);
      return { document: response.Policy ?? null };
    } catch (error) {
      if (errorName(error) === 'NoSuchBucketPolicy') return { document: null };
      if (errorName(error) === 'AbortError') throw error;
      return unreadablePolicy('s3:GetBucketPolicy', error);
    }
  }

  bucketRegion(bucket: string): Promise<string | Unreadable | undefined> {
    return readBucketRegion(this.clients.s3, bucket, this.options);
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
      unreadable(
        error,
        `template of stack ${stackId}`,
        'GetTemplate',
        "grant the functions' role cloudformation:GetTemplate",
      );
    }
  }

  async changeSetTemplate(stackId: string, changeSetId: string): Promise<string | undefined> {
    try {
      // With ChangeSetName, GetTemplate returns the template of that change set (API_GetTemplate).
      const response = await this.clients.cloudformation.send(
        new GetTemplateCommand({ StackName: stackId, ChangeSetName: changeSetId, TemplateStage: 'Processed' }),
        this.options,
      );
      return response.TemplateBody;
    } catch (error) {
      if (errorName(error) === 'ValidationError' || errorName(error) === 'ChangeSetNotFoundException') return undefined;
      unreadable(
        error,
        `template of change set ${changeSetId}`,
        'GetTemplate',
        "grant the functions' role cloudformation:GetTemplate",
      );
    }
  }

  async stackResources(stackId: string): Promise<Record<string, string>> {
    const resources: Record<string, string> = Object.create(null); // keyed by logical ids
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
      unreadable(
        error,
        `resources of stack ${stackId}`,
        'ListStackResources',
        "grant the functions' role cloudformation:ListStackResources",
      );
    }
    return resources;
  }

  async objectText(bucket: string, key: string, version?: string): Promise<string> {
    const location = `s3://${bucket}/${key}${version ? ` (version ${version})` : ''}`;
    let object;
    try {
      object = await this.clients.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(version ? { VersionId: version } : {}) }),
        this.options,
      );
    } catch (error) {
      const missing = ['NoSuchKey', 'NoSuchBucket', 'NoSuchVersion'].includes(errorName(error));
      unreadable(
        error,
        `definition ${location}`,
        'GetObject',
        missing
          ? `check that the definition was uploaded to ${location} (sam package / cdk deploy upload it)`
          : `grant the hook functions' role s3:GetObject and s3:GetObjectVersion on arn:aws:s3:::${bucket}/* ` +
              '(template parameters ToolkitDefinitionBuckets for the SAM CLI and CDK buckets, DefinitionBucketArns ' +
              "for others) and, if the bucket's key is a customer managed key, kms:Decrypt through S3 in its key policy",
      );
    }
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
    let machine;
    try {
      machine = await this.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }), this.options);
    } catch (error) {
      // A machine encrypted with a customer managed key is described only with kms:Decrypt on that key
      // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html).
      if (!/^Kms/.test(errorName(error)) && errorName(error) !== 'AccessDeniedException') throw error;
      unreadable(
        error,
        `state machine ${arn}`,
        'DescribeStateMachine',
        errorName(error).startsWith('Kms')
          ? "the machine is encrypted with a customer managed key: grant the functions' role kms:Decrypt on that " +
              "key through Step Functions (kms:ViaService states.<region>.amazonaws.com) and allow it in the key's policy"
          : "grant the functions' role states:DescribeStateMachine on it",
      );
    }
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

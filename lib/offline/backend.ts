// The Backend port offline: roles from a snapshot, the stack template from a file's text, the embedded evaluator.
import type { Simulator } from '../ports/simulator';
import { EmbeddedSimulator } from './simulator';
import type { RoleModel } from '../model/state-machine';
import { UnreadableError, type Backend, type DeployedStateMachine, type PolicyRead } from '../ports/backend';
import { bucketArnOf, type KeyGrant, type ResourcePolicies, type Unreadable } from '../model/resource-policies';
import { own } from '../model/json';
import { snapshotRole, type AccountSnapshot } from '../model/snapshot';

export interface EmbeddedOptions {
  snapshot?: AccountSnapshot;
  /** Text of the stack's template; also served as the STACK/CHANGE_SET payload. */
  stackTemplate?: string;
  /** Text of the change set's template; the stack template stands in for it when absent. */
  changeSetTemplate?: string;
  bucketKeys?: Record<string, string>;
  /** Key and bucket policies by ARN (--resource-policies); the rest are not known offline. */
  resourcePolicies?: ResourcePolicies;
}

class OfflineError extends Error {
  override name = 'OfflineError';
}

export class EmbeddedBackend implements Backend {
  constructor(private readonly options: EmbeddedOptions = {}) {}

  /** Pending policies are part of the role model already (the template analysis attaches them). */
  simulator(): Simulator {
    return new EmbeddedSimulator();
  }

  async readRole(arn: string): Promise<RoleModel> {
    return snapshotRole(this.options.snapshot, arn);
  }

  async snapshotOf(): Promise<AccountSnapshot> {
    return this.options.snapshot ?? { roles: new Map(), policies: new Map() };
  }

  async bucketKey(bucket: string): Promise<string | undefined> {
    return own(this.options.bucketKeys, bucket);
  }

  async keyPolicy(keyArn: string): Promise<PolicyRead> {
    const known = this.options.resourcePolicies?.get(keyArn);
    return known ? { document: known.document } : undefined;
  }

  async keyGrants(keyArn: string): Promise<KeyGrant[] | Unreadable | undefined> {
    return this.options.resourcePolicies?.get(keyArn)?.grants;
  }

  async bucketPolicy(bucket: string): Promise<PolicyRead> {
    for (const [arn, known] of this.options.resourcePolicies ?? [])
      if (arn === bucketArnOf(arn.split(':')[1] ?? 'aws', bucket)) return { document: known.document };
    return undefined;
  }

  /** Not known offline: S3 ARNs carry no Region (a template's buckets are in its stack's Region). */
  async bucketRegion(): Promise<undefined> {
    return undefined;
  }

  async stackTemplate(): Promise<string | undefined> {
    return this.options.stackTemplate;
  }

  // One change set offline: the template given for it.
  async changeSetTemplate(_stackId: string, _changeSetId: string): Promise<string | undefined> {
    return this.options.changeSetTemplate ?? this.options.stackTemplate;
  }

  async stackResources(): Promise<Record<string, string>> {
    return {};
  }

  async objectText(bucket: string, key: string): Promise<string> {
    throw new UnreadableError(
      `definition s3://${bucket}/${key}`,
      'S3 is not read offline',
      'check the template before it is packaged (dmap-guard check reads local definition files)',
    );
  }

  async fetchPayload(): Promise<string> {
    if (this.options.stackTemplate === undefined)
      throw new OfflineError(
        'STACK and CHANGE_SET events need --stack-template offline (the payload URL is not fetched)',
      );
    return JSON.stringify({ template: this.options.stackTemplate });
  }

  async describeStateMachine(arn: string): Promise<DeployedStateMachine> {
    throw new OfflineError(`${arn} cannot be described offline`);
  }

  async listStateMachines(): Promise<string[]> {
    throw new OfflineError('state machines cannot be listed offline');
  }
}

// A Backend that reads each thing once: wraps any Backend for one run (audit) or one hook invocation, so machines
// sharing a role, a bucket or a definition object cost one read. Pending reads are shared, failures too (one
// run gives one answer per read; the SDK has retried already). Keys are Map keys, so any name is safe.
import type { RoleModel } from '../model/state-machine';
import type { AccountSnapshot } from '../model/snapshot';
import type { KeyGrant, Unreadable } from '../model/resource-policies';
import type { Backend, DeployedStateMachine, PolicyRead } from './backend';
import type { Simulator } from './simulator';

class Memo<T> {
  private readonly answers = new Map<string, Promise<T>>();
  get(key: string, read: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key);
    if (!answer) this.answers.set(key, (answer = read()));
    return answer;
  }
}

export class CachedBackend implements Backend {
  private readonly roles = new Memo<RoleModel>();
  private readonly bucketKeys = new Memo<string | undefined>();
  private readonly machines = new Memo<DeployedStateMachine>();
  private readonly objects = new Memo<string>();
  private readonly templates = new Memo<string | undefined>();
  private readonly resources = new Memo<Record<string, string>>();
  private readonly changeSets = new Memo<string | undefined>();
  private readonly keyPolicies = new Memo<PolicyRead>();
  private readonly grants = new Memo<KeyGrant[] | Unreadable | undefined>();
  private readonly bucketPolicies = new Memo<PolicyRead>();
  private readonly bucketRegions = new Memo<string | Unreadable | undefined>();

  constructor(private readonly inner: Backend) {}

  /** The wrapped backend's simulator; its answers are kept by that backend (see AwsBackend). */
  simulator(pendingPolicies: unknown[]): Simulator {
    return this.inner.simulator(pendingPolicies);
  }

  readRole(arn: string): Promise<RoleModel> {
    return this.roles.get(arn, () => this.inner.readRole(arn));
  }

  snapshotOf(roleArns: string[], policyArns: string[]): Promise<AccountSnapshot> {
    return this.inner.snapshotOf(roleArns, policyArns);
  }

  bucketKey(bucket: string): Promise<string | undefined> {
    return this.bucketKeys.get(bucket, () => this.inner.bucketKey(bucket));
  }

  stackTemplate(stackId: string): Promise<string | undefined> {
    return this.templates.get(stackId, () => this.inner.stackTemplate(stackId));
  }

  stackResources(stackId: string): Promise<Record<string, string>> {
    return this.resources.get(stackId, () => this.inner.stackResources(stackId));
  }

  changeSetTemplate(stackId: string, changeSetId: string): Promise<string | undefined> {
    return this.changeSets.get(JSON.stringify([stackId, changeSetId]), () =>
      this.inner.changeSetTemplate(stackId, changeSetId),
    );
  }

  keyPolicy(keyArn: string): Promise<PolicyRead> {
    return this.keyPolicies.get(keyArn, () => this.inner.keyPolicy(keyArn));
  }

  keyGrants(keyArn: string, roleArn: string): Promise<KeyGrant[] | Unreadable | undefined> {
    return this.grants.get(JSON.stringify([keyArn, roleArn]), () => this.inner.keyGrants(keyArn, roleArn));
  }

  bucketPolicy(bucket: string): Promise<PolicyRead> {
    return this.bucketPolicies.get(bucket, () => this.inner.bucketPolicy(bucket));
  }

  bucketRegion(bucket: string): Promise<string | Unreadable | undefined> {
    return this.bucketRegions.get(bucket, () => this.inner.bucketRegion(bucket));
  }

  objectText(bucket: string, key: string, version?: string): Promise<string> {
    return this.objects.get(JSON.stringify([bucket, key, version ?? null]), () =>
      this.inner.objectText(bucket, key, version),
    );
  }

  /** Not kept: a presigned URL is read once by nature. */
  fetchPayload(url: string): Promise<string> {
    return this.inner.fetchPayload(url);
  }

  describeStateMachine(arn: string): Promise<DeployedStateMachine> {
    return this.machines.get(arn, () => this.inner.describeStateMachine(arn));
  }

  listStateMachines(): Promise<string[]> {
    return this.inner.listStateMachines();
  }
}

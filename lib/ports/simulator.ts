// The Simulator port: decide requests for a role. lib/offline evaluates the role's documents with the embedded
// evaluator; lib/aws implements the same port with iam:SimulatePrincipalPolicy.
import type { AccessRequest, Evaluation } from '../iam';
import type { RoleModel } from '../model/state-machine';

export interface Simulator {
  simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]>;
}

/** A simulator that answers at once (the embedded evaluator), for synchronous callers. */
export interface SyncSimulator {
  simulateSync(role: RoleModel, requests: AccessRequest[]): Evaluation[];
}

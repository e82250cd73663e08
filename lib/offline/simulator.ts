// The Simulator port offline: the embedded evaluator on the role's compiled documents.
import { evaluate, type AccessRequest, type Evaluation } from '../iam';
import { compileRole } from '../checks/role';
import type { RoleModel } from '../model/state-machine';
import type { Simulator, SyncSimulator } from '../ports/simulator';

export class EmbeddedSimulator implements Simulator, SyncSimulator {
  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    return this.simulateSync(role, requests);
  }

  simulateSync(role: RoleModel, requests: AccessRequest[]): Evaluation[] {
    const { set } = compileRole(role);
    return requests.map((request) => evaluate(set, request));
  }
}

// The Simulator port: decide requests for a role. The embedded backend evaluates the role's documents;
// lib/aws implements the same port with iam:SimulatePrincipalPolicy.
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest, type CompiledPolicySet, type Evaluation, type Policy, type PolicyProblem } from '../iam';
import type { PolicySource, RoleModel } from '../model';

export interface Simulator {
  simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]>;
}

function parseSource(source: PolicySource, problems: PolicyProblem[]): Policy {
  const parsed = parsePolicy(source.document, source.id);
  problems.push(...parsed.problems);
  return parsed.policy;
}

/** Compile a role's documents once; problems name the policy and the JSON path inside it. */
export function compileRole(role: RoleModel): { set: CompiledPolicySet; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const identity = role.identityPolicies.map((source) => parseSource(source, problems));
  const set = compilePolicySet({ identity, ...(role.boundary ? { boundary: parseSource(role.boundary, problems) } : {}) });
  return { set, problems: [...problems, ...set.problems] };
}

export class EmbeddedSimulator implements Simulator {
  private readonly cache = new WeakMap<RoleModel, CompiledPolicySet>();

  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    let set = this.cache.get(role);
    if (!set) {
      set = compileRole(role).set;
      this.cache.set(role, set);
    }
    const compiled = set;
    return requests.map((request) => evaluate(compiled, request));
  }
}

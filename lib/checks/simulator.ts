// The Simulator port: decide requests for a role. The embedded backend evaluates the role's documents;
// lib/aws implements the same port with iam:SimulatePrincipalPolicy.
import {
  compilePolicySet,
  evaluate,
  parsePolicy,
  type AccessRequest,
  type CompiledPolicySet,
  type Evaluation,
  type Policy,
  type PolicyProblem,
} from '../iam';
import type { PolicySource, RoleModel } from '../model';

export interface Simulator {
  simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]>;
}

function parseSource(source: PolicySource, problems: PolicyProblem[]): Policy {
  const parsed = parsePolicy(source.document, source.id);
  problems.push(...parsed.problems);
  return parsed.policy;
}

export interface CompiledRole {
  set: CompiledPolicySet;
  /** The identity policies, parsed, in the order of role.identityPolicies. */
  identity: Policy[];
  problems: PolicyProblem[];
}

const compiled = new WeakMap<RoleModel, CompiledRole>();

/** Compile a role's documents once per role; problems name the policy and the JSON path inside it. */
export function compileRole(role: RoleModel): CompiledRole {
  const cached = compiled.get(role);
  if (cached) return cached;
  const problems: PolicyProblem[] = [];
  const identity = role.identityPolicies.map((source) => parseSource(source, problems));
  const set = compilePolicySet({
    identity,
    ...(role.boundary ? { boundary: parseSource(role.boundary, problems) } : {}),
  });
  const result = { set, identity, problems: [...problems, ...set.problems] };
  compiled.set(role, result);
  return result;
}

export class EmbeddedSimulator implements Simulator {
  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    const { set } = compileRole(role);
    return requests.map((request) => evaluate(set, request));
  }
}

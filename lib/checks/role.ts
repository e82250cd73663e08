// A role's policies parsed and compiled once, shared by the embedded simulator, policy problems and probes.
import { compilePolicySet, parsePolicy, type CompiledPolicySet, type Policy, type PolicyProblem } from '../iam';
import type { PolicySource, RoleModel } from '../model/state-machine';

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

// Findings are data; rules are pure functions from one state machine's analysis to findings.
import type { Evaluation, AccessRequest, PolicyProblem } from '../iam';
import type { Catalogue } from '../iam/catalogue';
import type { Origin, RoleModel, StateMachineModel } from '../model/state-machine';
import type { Need, NeedsResult } from '../needs/types';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Finding {
  rule: string;
  severity: Severity;
  /** Template file or account the state machine comes from. */
  template: string;
  /** Logical id (templates) or ARN (deployed). */
  stateMachine: string;
  /** JSONPath of the state in the definition, "$" for the machine, or the policy for grants. */
  state: string;
  action: string;
  resource: string;
  message: string;
  fix: string;
  origin?: Origin;
  /** Line and column in the template, when the finding's origin could be located. */
  line?: number;
  column?: number;
  suppressed?: { reason: string };
}

export type FindingDraft = Partial<Pick<Finding, 'state' | 'action' | 'resource' | 'fix' | 'origin' | 'severity'>> & {
  message: string;
};

export interface RuleMeta {
  /** Stable literal id; never derived from file names. */
  id: string;
  severity: Severity;
  summary: string;
  why: string;
  docs: string;
  fix: string;
}

export interface Rule extends RuleMeta {
  check(analysis: MachineAnalysis): FindingDraft[];
}

export type NeedStatus = 'allowed' | 'denied' | 'unproven' | 'runtime';

export interface RequestResult {
  request: AccessRequest;
  evaluation: Evaluation;
}

export interface NeedResult {
  need: Need;
  status: NeedStatus;
  /** Simulated requests (none for runtime needs). */
  results: RequestResult[];
}

export interface MachineAnalysis {
  machine: StateMachineModel;
  /** Why the definition could not be read or parsed, with the JSON path of the problem. */
  definitionError?: { path: string; message: string };
  needs: NeedsResult;
  needResults: NeedResult[];
  role?: RoleModel;
  /** Every need of every state machine that uses the same role: grants are judged against all of them. */
  roleNeeds: Need[];
  policyProblems: PolicyProblem[];
  /** The IAM catalogue for the services involved, when the face loaded one. */
  catalogue?: Catalogue;
}

// Findings are data; rules are pure functions from one state machine's analysis to finding drafts, and one
// formatter (format.ts) turns a draft's message id and data into the finding's text.
import type { Evaluation, AccessRequest, PolicyProblem } from '../iam';
import type { Catalogue } from '../iam/catalogue';
import type { Origin, RoleModel, StateMachineModel } from '../model/state-machine';
import type { PolicyStatement } from '../needs/policy';
import type { Need, NeedsResult } from '../needs/types';
import type { ResourceAccess } from './resource-access';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Finding {
  rule: string;
  severity: Severity;
  /** Which of the rule's messages this is: stable, so tests and tools need not match English text. */
  messageId: string;
  /** Template file or account the state machine comes from. */
  template: string;
  /** Logical id (templates) or ARN (deployed). */
  stateMachine: string;
  /** JSONPath of the state in the definition, "$" for the machine, or the policy for grants. */
  state: string;
  /** The first of `actions`, or "" (kept for consumers of the single-action shape). */
  action: string;
  /** Every action the finding is about. */
  actions: string[];
  /** The first of `resources`, or "". */
  resource: string;
  /** Every resource the finding is about. */
  resources: string[];
  message: string;
  fix: string;
  /** The statements the fix shows, as data (resolved; reports print them in the template's terms). */
  fixStatements?: PolicyStatement[];
  origin?: Origin;
  /** Line and column in the template, when the finding's origin could be located. */
  line?: number;
  column?: number;
  suppressed?: { reason: string };
}

/** Named values a message template refers to as {{name}}; lists are joined with ", ". */
export type MessageData = Record<string, string | number | readonly string[]>;

export interface FindingDraft<MessageId extends string = string, FixId extends string = string> {
  messageId: MessageId;
  data: MessageData;
  state?: string;
  actions?: readonly string[];
  resources?: readonly string[];
  /** One of the rule's fix templates, filled with `fixData`; without it the rule's general fix applies. */
  fix?: FixId;
  fixData?: MessageData;
  /** The policy statements the fix shows, when it shows some. */
  fixStatements?: PolicyStatement[];
  origin?: Origin;
  severity?: Severity;
}

export interface RuleMeta {
  /** Stable literal id; never derived from file names. */
  id: string;
  severity: Severity;
  summary: string;
  why: string;
  docs: string;
  /** The general fix, shown when a finding names no fix of its own. */
  fix: string;
  /** Message templates by message id, with {{name}} placeholders filled from a draft's data. */
  messages: Readonly<Record<string, string>>;
  /** Fix templates by id, for findings whose fix depends on what they found. */
  fixes: Readonly<Record<string, string>>;
  tags: readonly string[];
}

export interface Rule extends RuleMeta {
  check(analysis: MachineAnalysis): FindingDraft[];
}

/** A rule whose drafts can only name its own message and fix ids (checked by the compiler). */
export function defineRule<MessageId extends string, FixId extends string = never>(
  rule: Omit<RuleMeta, 'messages' | 'fixes'> & {
    messages: Record<MessageId, string>;
    fixes?: Record<FixId, string>;
    check(analysis: MachineAnalysis): FindingDraft<MessageId, FixId>[];
  },
): Rule {
  return { ...rule, fixes: rule.fixes ?? ({} as Record<FixId, string>) };
}

/** unknown: a request's outcome depends on context dmap-guard cannot know; its evaluation names the statements and keys. */
export type NeedStatus = 'allowed' | 'denied' | 'unproven' | 'unknown' | 'runtime';

export interface RequestResult {
  request: AccessRequest;
  /** The decision with the key or bucket policy applied, where one decides (see `resource`). */
  evaluation: Evaluation;
  /** What the key or bucket policy said, for requests on a KMS key or an S3 bucket. */
  resource?: ResourceAccess;
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
  /** The state machines of this check that use the same role, in order; the role's grants are judged once. */
  roleMachines: StateMachineModel[];
  /** The integrations dmap-guard does not model, of every state machine using the role (their grants are not judged). */
  roleUnmodeled: NeedsResult['unmodeled'];
  policyProblems: PolicyProblem[];
  /** The IAM catalogue for the services involved, when the face loaded one. */
  catalogue?: Catalogue;
}

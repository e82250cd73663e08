// Fixes in the terms of the template a finding came from: the CLI supplies, per state machine, a rewriter that
// turns the analysis' synthetic names and default account into the template's own intrinsics.
import { snippetOf } from '../checks/describe';
import type { Finding } from '../checks/types';
import { displayValue } from '../model/arns';
import type { PolicyDocument, PolicyStatement } from '../needs/policy';

export interface FixRewriter {
  /** How the template is written, so that what is printed pastes into it. */
  language: 'YAML' | 'JSON';
  /** Statements with intrinsics (their JSON form) for synthetic values; notes say what had to stay resolved. */
  statements(statements: PolicyStatement[]): { statements: unknown[]; notes: string[] };
  /** Statements, or a policy document, as text to paste: YAML with short-form tags, or JSON. */
  text(value: unknown, notes: string[]): string;
}

/** The rewriter for a state machine of a template; undefined keeps a finding's fix as it is. */
export type FixRewriters = (template: string, stateMachine: string) => FixRewriter | undefined;

/** A finding whose fix text and fixStatements are in its template's terms. */
export type RenderedFinding = Omit<Finding, 'fixStatements'> & { fixStatements?: unknown[] };

/**
 * Findings with fix texts and fixStatements in their template's terms. The Sids of a state machine's fixes are
 * made unique (a second ManageChildExecutions becomes ManageChildExecutions2): IAM refuses a policy that repeats
 * one, and every fix goes into the same role.
 */
export function findingsInTemplateTerms(findings: Finding[], rewriters: FixRewriters | undefined): RenderedFinding[] {
  if (!rewriters) return findings;
  const sids = new Map<string, Map<string, string>>();
  return findings.map((finding) => {
    const resolved = finding.fixStatements;
    const rewriter = resolved ? rewriters(finding.template, finding.stateMachine) : undefined;
    if (!resolved || !rewriter) return finding;
    const snippet = displayValue(snippetOf(resolved));
    // Rules print the resolved snippet inside their fix template; only that part is replaced.
    if (!finding.fix.includes(snippet)) return finding;
    const key = `${finding.template}\u0000${finding.stateMachine}`;
    const used = sids.get(key) ?? new Map<string, string>();
    sids.set(key, used);
    const { statements, notes } = rewriter.statements(resolved.map((statement) => uniqueSid(statement, used)));
    const text = rewriter.text(statements, notes);
    return { ...finding, fix: finding.fix.replace(snippet, () => text), fixStatements: statements };
  });
}

/** The statement with a Sid no other statement of the role's fixes has (the same statement keeps its Sid). */
function uniqueSid(statement: PolicyStatement, used: Map<string, string>): PolicyStatement {
  const content = JSON.stringify({ ...statement, Sid: undefined });
  for (let n = 1; ; n++) {
    const sid = n === 1 ? statement.Sid : `${statement.Sid}${n}`;
    const taken = used.get(sid);
    if (taken === undefined) used.set(sid, content);
    if (taken === undefined || taken === content) return sid === statement.Sid ? statement : { ...statement, Sid: sid };
  }
}

/** The least-privilege policy to print for a state machine, and the language it is in. */
export function policyInTemplateTerms(
  policy: PolicyDocument,
  rewriter: FixRewriter | undefined,
): { language: 'YAML' | 'JSON'; text: string } | undefined {
  if (!rewriter) return undefined;
  const { statements, notes } = rewriter.statements(policy.Statement);
  return { language: rewriter.language, text: rewriter.text({ ...policy, Statement: statements }, notes) };
}

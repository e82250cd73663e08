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

export function findingInTemplateTerms(finding: Finding, rewriters: FixRewriters | undefined): RenderedFinding {
  const resolved = finding.fixStatements;
  const rewriter = resolved && rewriters ? rewriters(finding.template, finding.stateMachine) : undefined;
  if (!resolved || !rewriter) return finding;
  const snippet = displayValue(snippetOf(resolved));
  // Rules print the resolved snippet inside their fix template; only that part is replaced.
  if (!finding.fix.includes(snippet)) return finding;
  const { statements, notes } = rewriter.statements(resolved);
  return {
    ...finding,
    fix: finding.fix.replace(snippet, () => rewriter.text(statements, notes)),
    fixStatements: statements,
  };
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

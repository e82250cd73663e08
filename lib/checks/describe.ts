// Shared wording for findings: why a request was denied, and the least-privilege snippet that fixes a need.
import { stringify } from 'yaml';
import type { Evaluation } from '../iam';
import type { Need } from '../needs/types';
import { leastPrivilegePolicy, type PolicyStatement } from '../needs/policy';
import type { NeedResult } from './types';

export function describeDenial(evaluation: Evaluation): string {
  if (evaluation.decision === 'explicitDeny') {
    const deny = evaluation.matched[0];
    const where = !deny
      ? 'a Deny statement'
      : deny.sid !== undefined
        ? `statement ${deny.sid} of ${deny.policyId}`
        : deny.index >= 0
          ? `statement #${deny.index} of ${deny.policyId}`
          : `a Deny statement of ${deny.policyId}`;
    return `explicitly denied by ${where}${evaluation.blockedBy === 'boundary' ? ' (permissions boundary)' : evaluation.blockedBy === 'scp' ? ' (SCP)' : ''}`;
  }
  const missing =
    evaluation.missingContextKeys.length > 0
      ? `; statements for it need context keys dmap-guard does not send (${evaluation.missingContextKeys.join(', ')})`
      : '';
  if (evaluation.blockedBy === 'boundary') return `not allowed by the permissions boundary${missing}`;
  if (evaluation.blockedBy === 'scp') return `not allowed by a service control policy${missing}`;
  return `no statement allows it (implicit deny)${missing}`;
}

/** The first failing request of a need result, with its reason. */
export function firstFailure(result: NeedResult): { action: string; resource: string; reason: string } | undefined {
  const failed = result.results.find((r) => r.evaluation.decision !== 'allowed');
  if (!failed) return undefined;
  return {
    action: failed.request.action,
    resource: failed.request.resource,
    // A key or bucket policy that decided names itself (lib/checks/resource-access.ts).
    reason:
      failed.evaluation.blockedBy === 'resource' && failed.resource
        ? failed.resource.reason
        : describeDenial(failed.evaluation),
  };
}

const snippets = new Map<string, string>();

/** The statements to paste into the role for these needs, as data and as YAML (many findings share one). */
export function statementFix(needs: Need[]): { statements: PolicyStatement[]; snippet: string } {
  const statements = leastPrivilegePolicy(needs).Statement;
  return { statements, snippet: snippetOf(statements) };
}

/** Statements as the YAML list a fix shows (memoized: many findings share one). */
export function snippetOf(statements: readonly PolicyStatement[]): string {
  const key = JSON.stringify(statements);
  let snippet = snippets.get(key);
  if (snippet === undefined) {
    snippet = stringify(statements).trimEnd();
    if (snippets.size > 10_000) snippets.clear();
    snippets.set(key, snippet);
  }
  return snippet;
}

export function sourceOf(need: Need): string {
  return need.source.field === '' ? need.source.state : `${need.source.state} (${need.source.field})`;
}

// Findings in one short message (hook responses, custom resource reasons): the most important first, clipped.
import type { Finding } from '../checks/types';
import { isUnverified } from './report';

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Each run of whitespace holding a line break becomes one space (as `replace(/\s*\n\s*\/g, ' ')`, in linear time). */
export function joinLines(text: string): string {
  // `\s+` matches a whole run at once; `\s*\n\s*` retried from every position of a run without a line break.
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}

export function oneLine(text: string): string {
  return joinLines(text).trim();
}

/**
 * A message of at most `limit` characters: a headline, then findings by severity until the limit, then how many
 * were left out. Errors and what could not be verified carry their fix: that is what the reader acts on.
 */
export function findingsMessage(headline: string, findings: Finding[], limit: number): string {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : isUnverified(f) ? 1 : f.severity === 'warning' ? 2 : 3);
  const ordered = [...findings].sort((a, b) => rank(a) - rank(b));
  let message = headline;
  let shown = 0;
  for (const finding of ordered) {
    const line = `\n[${finding.severity}] ${finding.rule} (${finding.stateMachine}): ${oneLine(finding.message)}${finding.severity === 'error' || isUnverified(finding) ? ` Fix: ${oneLine(finding.fix)}` : ''}`;
    const rest = ordered.length - shown - 1;
    const tail = rest > 0 ? `\n… and ${rest} more finding${rest === 1 ? '' : 's'}` : '';
    if (message.length + line.length + tail.length > limit) {
      const remaining = ordered.length - shown;
      return clip(
        `${message}\n… and ${remaining} more finding${remaining === 1 ? '' : 's'} (run dmap-guard check for all)`,
        limit,
      );
    }
    message += line;
    shown++;
  }
  return clip(message, limit);
}

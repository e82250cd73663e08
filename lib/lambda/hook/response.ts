// Findings → hook response: the verdict, a message of at most 4096 characters with the most important
// findings first, and one annotation per finding.
import { RULES } from '../../checks/registry';
import type { Finding } from '../../checks/types';
import { failsAt, isUnverified, verdictOf, type FailOn } from '../../report/report';
import { clip, findingsMessage, oneLine } from '../../report/message';
import { MAX_MESSAGE, type HookAnnotation, type HookResponse } from './contract';

const SEVERITY_LEVEL = { error: 'HIGH', warning: 'MEDIUM', info: 'INFORMATIONAL' } as const;
const MAX_ANNOTATIONS = 50;
const MAX_ANNOTATION_TEXT = 1024;

export function annotations(findings: Finding[], failOn: FailOn): HookAnnotation[] {
  const docs = new Map(RULES.map((r) => [r.id, r.docs]));
  return findings.slice(0, MAX_ANNOTATIONS).map((finding) => ({
    annotationName: finding.rule,
    // What could not be verified was neither passed nor failed: SKIPPED (PASSED | FAILED | SKIPPED,
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Annotation.html).
    status: failsAt(finding, failOn) ? 'FAILED' : isUnverified(finding) ? 'SKIPPED' : 'PASSED',
    statusMessage: clip(`${finding.stateMachine}: ${oneLine(finding.message)}`, MAX_ANNOTATION_TEXT),
    remediationMessage: clip(oneLine(finding.fix), MAX_ANNOTATION_TEXT),
    ...(docs.get(finding.rule) ? { remediationLink: docs.get(finding.rule) as string } : {}),
    severityLevel: SEVERITY_LEVEL[finding.severity],
  }));
}

/** The verdict for findings: FAILED/NonCompliant when one reaches failOn; SUCCESS still lists warnings and says UNVERIFIED. */
export function verdict(token: string, subject: string, findings: Finding[], failOn: FailOn): HookResponse {
  const active = findings.filter((f) => !f.suppressed);
  const failing = active.filter((f) => failsAt(f, failOn));
  const counts = ['error', 'warning', 'info']
    .map((s) => [s, active.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'info' ? '' : 's'}`);
  if (failing.length > 0) {
    return {
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: findingsMessage(
        `dmap-guard: ${subject} is ${verdictOf(active) === 'unverified' ? 'UNVERIFIED' : 'not compliant'} (${counts.join(', ')}; fails on ${failOn}).`,
        active,
        MAX_MESSAGE,
      ),
      clientRequestToken: token,
      annotations: annotations(active, failOn),
    };
  }
  // UNVERIFIED is not a pass: the message says so and what to do; FAIL_ON=unverified fails it above.
  const headline =
    verdictOf(active) === 'unverified'
      ? `dmap-guard: ${subject} is UNVERIFIED (${counts.join(', ')}): dmap-guard could not decide everything; the findings below say what to provide (FAIL_ON=unverified blocks such changes).`
      : `dmap-guard: ${subject} passed${counts.length > 0 ? ` with ${counts.join(', ')}` : ''}.`;
  return {
    hookStatus: 'SUCCESS',
    message: findingsMessage(headline, active, MAX_MESSAGE),
    clientRequestToken: token,
    ...(active.length > 0 ? { annotations: annotations(active, failOn) } : {}),
  };
}

export function internalFailure(token: string, reason: string, onError: 'fail' | 'pass'): HookResponse {
  if (onError === 'pass') {
    return {
      hookStatus: 'SUCCESS',
      message: clip(`dmap-guard could not check this change and ON_ERROR=pass lets it through: ${reason}`, MAX_MESSAGE),
      clientRequestToken: token,
    };
  }
  return {
    hookStatus: 'FAILED',
    errorCode: 'InternalFailure',
    message: clip(`dmap-guard could not check this change: ${reason}`, MAX_MESSAGE),
    clientRequestToken: token,
  };
}

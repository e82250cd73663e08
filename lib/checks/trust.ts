// Whether Step Functions can assume the execution role: the trust policy evaluated as a resource policy for
// sts:AssumeRole by the service principal states.amazonaws.com. lib/iam has no principal matching (identity
// policies name none), so statements are selected here by their Principal and then evaluated without it.
import { compilePolicySet, decodePolicyDocument, evaluate, parsePolicy } from '../iam';
import type { RoleModel, StateMachineModel } from '../model/state-machine';

/** https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html */
export const STATES_PRINCIPAL = 'states.amazonaws.com';
/** The regional form some tools write; no AWS page documents it for Step Functions, so it is undecided. */
const REGIONAL_STATES = /^states\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export type TrustStatus =
  { status: 'trusted' } | { status: 'untrusted'; reason: string } | { status: 'unknown'; reason: string };

type PrincipalMatch = 'yes' | 'no' | 'unknown';

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Does a Principal element name Step Functions? */
function principalMatches(principal: unknown): PrincipalMatch {
  if (principal === '*') return 'yes';
  if (typeof principal !== 'object' || principal === null) return 'no';
  let match: PrincipalMatch = 'no';
  for (const [kind, value] of Object.entries(principal as Record<string, unknown>)) {
    for (const entry of listOf(value)) {
      if (kind === 'AWS' && entry === '*') return 'yes';
      if (kind !== 'Service' || typeof entry !== 'string') continue;
      if (entry.toLowerCase() === STATES_PRINCIPAL) return 'yes';
      if (REGIONAL_STATES.test(entry.toLowerCase())) match = 'unknown';
    }
  }
  return match;
}

/** Whether a statement applies to Step Functions by its Principal or NotPrincipal. */
function appliesToStates(statement: Record<string, unknown>): PrincipalMatch {
  if (statement.Principal !== undefined) return principalMatches(statement.Principal);
  if (statement.NotPrincipal !== undefined) {
    const excluded = principalMatches(statement.NotPrincipal);
    return excluded === 'yes' ? 'no' : excluded === 'no' ? 'yes' : 'unknown';
  }
  return 'no';
}

/**
 * The trust decision for Step Functions assuming `role` to run `machine`. The request carries what AWS sends on
 * that call: aws:SourceArn (the state machine) and aws:SourceAccount, as the confused-deputy page describes.
 */
export function trustOf(role: RoleModel, machine: StateMachineModel): TrustStatus | undefined {
  if (!role.trust) return undefined;
  const decoded = decodePolicyDocument(role.trust.document).document;
  const raw =
    typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>).Statement : undefined;
  const statements = (raw === undefined ? [] : listOf(raw)).filter(
    (s): s is Record<string, unknown> => typeof s === 'object' && s !== null,
  );
  let undecidedPrincipal = false;
  const applicable: Record<string, unknown>[] = [];
  for (const statement of statements) {
    const match = appliesToStates(statement);
    if (match === 'unknown') undecidedPrincipal = true;
    if (match !== 'yes') continue;
    const { Principal: _p, NotPrincipal: _n, Resource: _r, NotResource: _nr, ...rest } = statement;
    applicable.push({ ...rest, Resource: '*' });
  }
  const policy = parsePolicy({ Version: '2012-10-17', Statement: applicable }, role.trust.id).policy;
  const evaluation = evaluate(compilePolicySet({ identity: [policy] }), {
    action: 'sts:AssumeRole',
    resource: role.arn,
    context: {
      'aws:SourceArn': [machine.arn],
      'aws:SourceAccount': [machine.context.account],
      'aws:PrincipalServiceName': [STATES_PRINCIPAL],
      'aws:PrincipalIsAWSService': ['true'],
    },
  });
  const name = role.trust.name;
  if (evaluation.decision === 'allowed') return { status: 'trusted' };
  if (evaluation.missingContextKeys.length > 0)
    return {
      status: 'unknown',
      reason: `${name} lets ${STATES_PRINCIPAL} assume the role only under a condition on ${evaluation.missingContextKeys.join(', ')}, which dmap-guard cannot decide for this call`,
    };
  if (evaluation.decision === 'explicitDeny') {
    const deny = evaluation.matched[0];
    return {
      status: 'untrusted',
      reason: `${name} denies sts:AssumeRole to ${STATES_PRINCIPAL} (statement ${deny?.sid ?? `#${deny?.index ?? '?'}`})`,
    };
  }
  if (undecidedPrincipal)
    return {
      status: 'unknown',
      reason: `${name} names Step Functions only in a regional form (states.<region>.amazonaws.com), which AWS does not document`,
    };
  return {
    status: 'untrusted',
    reason: `no statement of ${name} allows ${STATES_PRINCIPAL} to call sts:AssumeRole`,
  };
}

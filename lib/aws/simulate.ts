// The Simulator port on iam:SimulatePrincipalPolicy: requests batched as ActionNames × ResourceArns per
// distinct request context, pages followed with Marker, decisions read per resource.
import {
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
  type IAMClient,
  type Statement as IamStatement,
} from '@aws-sdk/client-iam';
import type { Simulator } from '../ports/simulator';
import type { AccessRequest, Decision, Evaluation, MatchedStatement } from '../iam';
import type { RoleModel } from '../model/state-machine';

/** Resources per call: IAM publishes no cap; PMapper found 20 reliable. */
const RESOURCES_PER_CALL = 20;

function contextEntries(context: AccessRequest['context']) {
  return Object.entries(context ?? {}).map(([ContextKeyName, values]) => ({
    ContextKeyName,
    ContextKeyValues: [...values],
    ContextKeyType: values.length === 1 ? ('string' as const) : ('stringList' as const),
  }));
}

function matched(statements: IamStatement[] | undefined, decision: Decision): MatchedStatement[] {
  return (statements ?? []).map((s) => ({
    layer: 'identity',
    policyId: s.SourcePolicyId ?? 'unknown policy',
    // SimulatePrincipalPolicy names the policy and the statement's text position, not its index.
    index: -1,
    effect: decision === 'explicitDeny' ? 'Deny' : 'Allow',
    statement: {},
  }));
}

function toEvaluation(result: EvaluationResult, resource: string): Evaluation {
  const specific = result.ResourceSpecificResults?.find((r) => r.EvalResourceName === resource);
  const decision = (specific?.EvalResourceDecision ?? result.EvalDecision ?? 'implicitDeny') as Decision;
  const boundary = specific?.PermissionsBoundaryDecisionDetail ?? result.PermissionsBoundaryDecisionDetail;
  const evaluation: Evaluation = {
    decision,
    matched:
      decision === 'implicitDeny' ? [] : matched(specific?.MatchedStatements ?? result.MatchedStatements, decision),
    missingContextKeys: [...(specific?.MissingContextValues ?? result.MissingContextValues ?? [])].sort(),
  };
  if (boundary?.AllowedByPermissionsBoundary !== undefined)
    evaluation.allowedByBoundary = boundary.AllowedByPermissionsBoundary;
  if (result.OrganizationsDecisionDetail?.AllowedByOrganizations !== undefined)
    evaluation.allowedByOrganizations = result.OrganizationsDecisionDetail.AllowedByOrganizations;
  if (decision === 'implicitDeny') {
    evaluation.blockedBy =
      evaluation.allowedByOrganizations === false
        ? 'scp'
        : evaluation.allowedByBoundary === false
          ? 'boundary'
          : 'identity';
  } else if (decision === 'explicitDeny') {
    evaluation.blockedBy = evaluation.matched[0]?.layer ?? 'identity';
  }
  return evaluation;
}

export class IamSimulator implements Simulator {
  /** Calls made, for the benchmark's calls-per-verdict figure. */
  calls = 0;

  constructor(
    private readonly iam: IAMClient,
    private readonly pendingPolicies: unknown[] = [],
    private readonly abortSignal?: AbortSignal,
  ) {}

  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    const groups = new Map<string, AccessRequest[]>();
    for (const request of requests) {
      const key = JSON.stringify(Object.entries(request.context ?? {}).sort(([a], [b]) => a.localeCompare(b)));
      groups.set(key, [...(groups.get(key) ?? []), request]);
    }
    const results = new Map<string, Evaluation>();
    const policyInputList = this.pendingPolicies.map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
    for (const group of groups.values()) {
      const actions = [...new Set(group.map((r) => r.action))];
      const resources = [...new Set(group.map((r) => r.resource))];
      for (let i = 0; i < resources.length; i += RESOURCES_PER_CALL) {
        const chunk = resources.slice(i, i + RESOURCES_PER_CALL);
        let marker: string | undefined;
        do {
          this.calls++;
          const response = await this.iam.send(
            new SimulatePrincipalPolicyCommand({
              PolicySourceArn: role.arn,
              ActionNames: actions,
              ResourceArns: chunk,
              ...(policyInputList.length > 0 ? { PolicyInputList: policyInputList } : {}),
              ContextEntries: contextEntries(group[0]?.context),
              ...(marker ? { Marker: marker } : {}),
            }),
            this.abortSignal ? { abortSignal: this.abortSignal } : {},
          );
          for (const result of response.EvaluationResults ?? []) {
            const action = result.EvalActionName?.toLowerCase();
            if (!action) continue;
            // Per-resource decisions live in ResourceSpecificResults; a result may also name one resource itself.
            const named =
              result.ResourceSpecificResults?.map((r) => r.EvalResourceName ?? '') ??
              (chunk.includes(result.EvalResourceName ?? '') ? [result.EvalResourceName as string] : chunk);
            for (const resource of named)
              if (chunk.includes(resource)) results.set(`${action}|${resource}`, toEvaluation(result, resource));
          }
          marker = response.IsTruncated ? response.Marker : undefined;
        } while (marker);
      }
    }
    return requests.map(
      (r) =>
        results.get(`${r.action.toLowerCase()}|${r.resource}`) ?? {
          decision: 'implicitDeny',
          matched: [],
          missingContextKeys: [],
          blockedBy: 'identity',
        },
    );
  }
}

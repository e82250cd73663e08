// The Simulator port on iam:SimulatePrincipalPolicy: requests batched as ActionNames × ResourceArns per
// distinct request context, pages followed with Marker, decisions read per resource.
import {
  SimulatePrincipalPolicyCommand,
  type ContextKeyTypeEnum,
  type EvaluationResult,
  type IAMClient,
  type Statement as IamStatement,
} from '@aws-sdk/client-iam';
import type { Simulator } from '../ports/simulator';
import type { AccessRequest, Decision, Evaluation, MatchedStatement } from '../iam';
import { unknownKeyTest } from '../iam/knowledge';
import type { RoleModel } from '../model/state-machine';
import { contextKeyType } from '../needs/context';

/** Resources per call: IAM publishes no cap; PMapper found 20 reliable. */
const RESOURCES_PER_CALL = 20;

function contextEntries(context: AccessRequest['context']) {
  return Object.entries(context ?? {}).map(([ContextKeyName, values]) => ({
    ContextKeyName,
    ContextKeyValues: [...values],
    ContextKeyType: contextKeyType(ContextKeyName, values) as ContextKeyTypeEnum,
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
    wholeRole: true,
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

/**
 * IAM decides a key it was not given as absent. Where dmap-guard does not know the key is absent, that decision
 * may be wrong either way, so it becomes unknown, naming the keys (and the statements IAM matched). IAM does not
 * list keys only SCPs reference (aws-cli#10525), so an SCP on an unknown key is not caught here.
 */
function withUnknownKeys(evaluation: Evaluation, request: AccessRequest): Evaluation {
  const given = new Set(Object.keys(request.context ?? {}).map((k) => k.toLowerCase()));
  const isUnknown = unknownKeyTest(request.missingKeys);
  const keys = evaluation.missingContextKeys.filter((k) => !given.has(k.toLowerCase()) && isUnknown(k.toLowerCase()));
  if (keys.length === 0) return evaluation;
  const statements =
    evaluation.matched.length > 0
      ? evaluation.matched
      : [{ layer: 'identity' as const, policyId: request.action, index: -1, effect: 'Allow' as const, statement: {} }];
  return {
    ...evaluation,
    decision: 'unknown',
    unknown: statements.map((statement) => ({ ...statement, keys })),
    matched: [],
  };
}

/** IAM returned no decision for the request: nothing is proven either way. */
const NO_RESULT: Evaluation = {
  decision: 'unknown',
  matched: [],
  missingContextKeys: [],
  unknown: [
    {
      layer: 'identity',
      policyId: 'SimulatePrincipalPolicy returned no result',
      index: -1,
      effect: 'Allow',
      statement: {},
      keys: [],
    },
  ],
};

export class IamSimulator implements Simulator {
  /** Calls made, for the benchmark's calls-per-verdict figure. */
  calls = 0;

  constructor(
    private readonly iam: IAMClient,
    private readonly pendingPolicies: unknown[] = [],
    private readonly abortSignal?: AbortSignal,
  ) {}

  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    // One call per distinct context: IAM applies a call's ContextEntries to every action and resource in it.
    const groups = new Map<string, number[]>();
    requests.forEach((request, index) => {
      const key = JSON.stringify(Object.entries(request.context ?? {}).sort(([a], [b]) => a.localeCompare(b)));
      groups.set(key, [...(groups.get(key) ?? []), index]);
    });
    const evaluations: Array<Evaluation | undefined> = requests.map(() => undefined);
    for (const indexes of groups.values()) {
      const group = indexes.map((i) => requests[i] as AccessRequest);
      const results = await this.simulateGroup(role.arn, group);
      indexes.forEach((requestIndex, i) => {
        const request = group[i] as AccessRequest;
        const result = results.get(`${request.action.toLowerCase()}|${request.resource}`);
        evaluations[requestIndex] = result ? withUnknownKeys(result, request) : NO_RESULT;
      });
    }
    return evaluations as Evaluation[];
  }

  /** Decisions for requests sharing one context, keyed by lower-cased action and resource. */
  private async simulateGroup(roleArn: string, group: AccessRequest[]): Promise<Map<string, Evaluation>> {
    const results = new Map<string, Evaluation>();
    const policyInputList = this.pendingPolicies.map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
    const actions = [...new Set(group.map((r) => r.action))];
    const resources = [...new Set(group.map((r) => r.resource))];
    for (let i = 0; i < resources.length; i += RESOURCES_PER_CALL) {
      const chunk = resources.slice(i, i + RESOURCES_PER_CALL);
      let marker: string | undefined;
      do {
        this.calls++;
        const response = await this.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
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
    return results;
  }
}

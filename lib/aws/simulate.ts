// The Simulator port on iam:SimulatePrincipalPolicy: requests batched as ActionNames × ResourceArns per
// distinct request context, pages followed with Marker, decisions read per resource; calls run a few at a time
// and answers are kept per backend instance.
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
import { compareCodeUnits } from '../model/compare';
import { mapWithConcurrency } from '../model/concurrency';

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

/** SimulatePrincipalPolicy calls in flight at once: the calls are independent, and the SDK retries a throttled one. */
export const SIMULATIONS_IN_FLIGHT = 8;

const contextKeyOf = (request: AccessRequest) =>
  JSON.stringify(Object.entries(request.context ?? {}).sort(([a], [b]) => compareCodeUnits(a, b)));

/**
 * Decisions asked already, by role and pending policies, then by context, action and resource; pending answers
 * are shared. Owned by one backend instance (one hook invocation, one audit run), never module-level: policies
 * change between invocations.
 */
export class SimulationCache {
  private readonly byRole = new Map<string, Map<string, Promise<Evaluation | undefined>>>();

  answersFor(roleArn: string, policyInputList: string[]): Map<string, Promise<Evaluation | undefined>> {
    const key = JSON.stringify([roleArn, policyInputList]);
    let answers = this.byRole.get(key);
    if (!answers) this.byRole.set(key, (answers = new Map()));
    return answers;
  }
}

/** One call's worth of work: requests sharing a context, up to RESOURCES_PER_CALL resources. */
interface Batch {
  context: AccessRequest['context'];
  actions: Set<string>;
  resources: string[];
  resolve(results: Map<string, Evaluation>): void;
  reject(error: unknown): void;
  results: Promise<Map<string, Evaluation>>;
}

function newBatch(context: AccessRequest['context']): Batch {
  let resolve: Batch['resolve'] = () => undefined;
  let reject: Batch['reject'] = () => undefined;
  const results = new Promise<Map<string, Evaluation>>((yes, no) => ((resolve = yes), (reject = no)));
  return { context, actions: new Set(), resources: [], resolve, reject, results };
}

export interface IamSimulatorOptions {
  /** Answers shared by the simulators of one backend instance. */
  cache?: SimulationCache;
  /** Calls in flight at once (default SIMULATIONS_IN_FLIGHT). */
  concurrency?: number;
}

export class IamSimulator implements Simulator {
  /** Calls made, for the benchmark's calls-per-verdict figure. */
  calls = 0;
  private readonly policyInputList: string[];
  private readonly cache: SimulationCache;
  private readonly concurrency: number;

  constructor(
    private readonly iam: IAMClient,
    pendingPolicies: unknown[] = [],
    private readonly abortSignal?: AbortSignal,
    options: IamSimulatorOptions = {},
  ) {
    this.policyInputList = pendingPolicies.map((p) => (typeof p === 'string' ? p : JSON.stringify(p)));
    this.cache = options.cache ?? new SimulationCache();
    this.concurrency = options.concurrency ?? SIMULATIONS_IN_FLIGHT;
  }

  async simulate(role: RoleModel, requests: AccessRequest[]): Promise<Evaluation[]> {
    const answers = this.cache.answersFor(role.arn, this.policyInputList);
    const contexts = requests.map(contextKeyOf);
    const keys = requests.map((r, i) => `${contexts[i]}|${r.action.toLowerCase()}|${r.resource}`);
    // One call per distinct context (IAM applies a call's ContextEntries to every action and resource in it), for
    // the requests not asked before, resources split across calls.
    const open = new Map<string, Batch>();
    const batchOf = new Map<string, Batch>();
    const batches: Batch[] = [];
    requests.forEach((request, index) => {
      const key = keys[index] as string;
      if (answers.has(key)) return;
      const context = contexts[index] as string;
      const placed = `${context}|${request.resource}`;
      let batch = batchOf.get(placed) ?? open.get(context);
      if (!batch || (!batchOf.has(placed) && batch.resources.length >= RESOURCES_PER_CALL)) {
        batch = newBatch(request.context);
        open.set(context, batch);
        batches.push(batch);
      }
      if (!batchOf.has(placed)) {
        batch.resources.push(request.resource);
        batchOf.set(placed, batch);
      }
      batch.actions.add(request.action);
      const wanted = `${request.action.toLowerCase()}|${request.resource}`;
      answers.set(
        key,
        batch.results.then((results) => results.get(wanted)),
      );
    });
    if (batches.length > 0) this.run(role.arn, batches);
    const evaluations = await Promise.all(keys.map((key) => answers.get(key) as Promise<Evaluation | undefined>));
    return evaluations.map((result, index) =>
      result ? withUnknownKeys(result, requests[index] as AccessRequest) : NO_RESULT,
    );
  }

  /**
   * The batches a few at a time. The first failure fails every batch, so no cached answer waits forever, and
   * cancels the calls still in flight, so none outlives the verdict.
   */
  private run(roleArn: string, batches: Batch[]): void {
    const controller = new AbortController();
    const cancel = () => controller.abort(this.abortSignal?.reason);
    if (this.abortSignal?.aborted) cancel();
    else this.abortSignal?.addEventListener('abort', cancel, { once: true });
    mapWithConcurrency(batches, this.concurrency, async (batch) =>
      batch.resolve(await this.simulateBatch(roleArn, batch, controller.signal)),
    )
      .catch((error: unknown) => {
        batches.forEach((batch) => batch.reject(error));
        controller.abort(error);
      })
      .finally(() => this.abortSignal?.removeEventListener('abort', cancel));
  }

  /** Decisions for one batch, keyed by lower-cased action and resource; pages followed with Marker. */
  private async simulateBatch(
    roleArn: string,
    batch: Batch,
    abortSignal: AbortSignal,
  ): Promise<Map<string, Evaluation>> {
    const results = new Map<string, Evaluation>();
    const chunk = batch.resources;
    let marker: string | undefined;
    do {
      this.calls++;
      const response = await this.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: roleArn,
          ActionNames: [...batch.actions],
          ResourceArns: chunk,
          ...(this.policyInputList.length > 0 ? { PolicyInputList: this.policyInputList } : {}),
          ContextEntries: contextEntries(batch.context),
          ...(marker ? { Marker: marker } : {}),
        }),
        { abortSignal },
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
    return results;
  }
}

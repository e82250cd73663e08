// The check pipeline: needs → simulated requests → rules → findings (suppressions applied).
import { DefinitionError, parseDefinition } from '../asl/definition';
import type { AccessRequest } from '../iam';
import type { StateMachineModel } from '../model/state-machine';
import { own } from '../model/json';
import { deriveBaseNeeds, type BaseNeeds } from '../needs';
import type { Need, NeedsResult } from '../needs/types';
import { RULES } from './registry';
import { needRequests } from './requests';
import type { Simulator } from '../ports/simulator';
import { compileRole } from './role';
import { applyResourcePolicies, bucketAccountProblems, type LiveResourcePolicy } from './resource-side';
import { runRules } from './run-rules';
import type { Finding, MachineAnalysis, NeedResult, NeedStatus, Rule } from './types';

const EMPTY_NEEDS: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [] };

/** The SSE-KMS key of a bucket in the account, undefined for none (Backend.bucketKey). */
export type BucketKeyLookup = (bucket: string) => Promise<string | undefined>;

/** Needs derived once: the keys of the static buckets they name come from `bucketKey` over the machine's own. */
async function readNeeds(
  machine: StateMachineModel,
  bucketKey: BucketKeyLookup | undefined,
): Promise<{ needs: NeedsResult; definitionError?: { path: string; message: string } }> {
  if (machine.definitionUnavailable !== undefined)
    return { needs: EMPTY_NEEDS, definitionError: { path: '$', message: machine.definitionUnavailable } };
  let base: BaseNeeds;
  try {
    base = deriveBaseNeeds(parseDefinition(machine.definition), machine.context);
  } catch (error) {
    if (error instanceof DefinitionError)
      return { needs: EMPTY_NEEDS, definitionError: { path: error.path, message: error.detail } };
    throw error;
  }
  const live = new Map<string, string>();
  if (bucketKey)
    for (const bucket of base.keyedBuckets) {
      const key = await bucketKey(bucket);
      if (key !== undefined) live.set(bucket, key);
    }
  return { needs: base.withBucketKeys((bucket) => live.get(bucket) ?? own(machine.context.bucketKeys, bucket)) };
}

export interface CheckOptions {
  simulator: Simulator;
  rules?: Rule[];
  /** Asks a live account for bucket keys; each bucket is asked once per call. */
  bucketKey?: BucketKeyLookup;
  /** Asks a live account for key and bucket policies; each resource is asked once per call. */
  resourcePolicy?: LiveResourcePolicy;
}

/** Analyse state machines and run every rule on each; machines sharing a role are judged against all their needs. */
export async function checkStateMachines(
  machines: StateMachineModel[],
  options: CheckOptions,
): Promise<{ findings: Finding[]; analyses: MachineAnalysis[] }> {
  const asked = new Map<string, Promise<string | undefined>>();
  const lookup = options.bucketKey;
  const bucketKey: BucketKeyLookup | undefined = lookup
    ? (bucket) => {
        const known = asked.get(bucket) ?? lookup(bucket);
        asked.set(bucket, known);
        return known;
      }
    : undefined;
  const policies = new Map<string, ReturnType<LiveResourcePolicy>>();
  const livePolicy = options.resourcePolicy;
  const resourcePolicy: LiveResourcePolicy | undefined = livePolicy
    ? (target, roleArn) => {
        const cacheKey = target.kind === 'key' ? `${target.arn} ${roleArn}` : target.arn;
        const known = policies.get(cacheKey) ?? livePolicy(target, roleArn);
        policies.set(cacheKey, known);
        return known;
      }
    : undefined;
  const prepared = [];
  for (const machine of machines) {
    const read = await readNeeds(machine, bucketKey);
    const accountProblems = bucketAccountProblems(machine);
    if (accountProblems.length > 0)
      read.needs = { ...read.needs, problems: [...read.needs.problems, ...accountProblems] };
    prepared.push({ machine, ...read });
  }
  const needsByRole = new Map<string, Need[]>();
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    needsByRole.set(machine.role.arn, [...(needsByRole.get(machine.role.arn) ?? []), ...needs.needs]);
  }

  const analyses: MachineAnalysis[] = [];
  // One request time for the whole check, so requests differ in context only where the service sends different keys.
  const now = new Date();
  for (const { machine, needs, definitionError } of prepared) {
    const role = machine.role;
    const needResults: NeedResult[] = [];
    if (role) {
      const simulated = needs.needs.filter((need) => !need.runtime);
      const requests = simulated.map((need) => needRequests(need, machine, role, now));
      const evaluations = await options.simulator.simulate(role, requests.flat());
      const combined = requests.flat().map((request, i) => ({
        request,
        evaluation: evaluations[i] as (typeof evaluations)[number],
      }));
      await applyResourcePolicies(machine, role, combined, resourcePolicy);
      let offset = 0;
      simulated.forEach((need, index) => {
        const own = requests[index] as AccessRequest[];
        const results = combined.slice(offset, offset + own.length);
        offset += own.length;
        // An explicit deny decides; other denials are proven only when the decision saw the whole role (read in
        // full, or decided by IAM itself), else unproven; without a denial, a request whose outcome depends on
        // unknown context makes the need unknown.
        const decisions = results.map((r) => r.evaluation.decision);
        const partialRole = role.unknown.length > 0 && !results.every((r) => r.evaluation.wholeRole === true);
        const status: NeedStatus = decisions.every((d) => d === 'allowed')
          ? 'allowed'
          : decisions.includes('explicitDeny')
            ? 'denied'
            : partialRole
              ? 'unproven'
              : decisions.includes('implicitDeny')
                ? 'denied'
                : 'unknown';
        needResults.push({ need, status, results });
      });
      for (const need of needs.needs.filter((n) => n.runtime))
        needResults.push({ need, status: 'runtime', results: [] });
    } else {
      for (const need of needs.needs)
        needResults.push({ need, status: need.runtime ? 'runtime' : 'unproven', results: [] });
    }
    const analysis: MachineAnalysis = {
      machine,
      needs,
      needResults,
      roleNeeds: role ? (needsByRole.get(role.arn) ?? []) : needs.needs,
      policyProblems: role ? compileRole(role).problems : [],
    };
    if (role) analysis.role = role;
    if (definitionError) analysis.definitionError = definitionError;
    analyses.push(analysis);
  }

  const findings: Finding[] = [];
  for (const analysis of analyses) findings.push(...runRules(analysis, options.rules ?? RULES));
  return { findings, analyses };
}

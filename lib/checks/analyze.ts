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
import { DeadlineExceeded, deadlineInForce, Pacer, workOf, type Deadline } from './deadline';
import { runRules } from './run-rules';
import type { Finding, MachineAnalysis, NeedResult, Rule } from './types';

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
  /** Stop with DeadlineExceeded when it passes; defaults to the deadline in force (withDeadline). */
  deadline?: Deadline;
}

/** Analyse state machines and run every rule on each; machines sharing a role are judged against all their needs. */
export async function checkStateMachines(
  machines: StateMachineModel[],
  options: CheckOptions,
): Promise<{ findings: Finding[]; analyses: MachineAnalysis[] }> {
  const progress: Progress = { pacer: new Pacer(options.deadline ?? deadlineInForce()) };
  try {
    return await checkPaced(machines, options, progress);
  } catch (error) {
    // Name the machine that did not fit, and how large it is.
    if (error instanceof DeadlineExceeded && error.work === undefined && progress.machine)
      throw new DeadlineExceeded(workOf(progress.machine, progress.needs));
    throw error;
  }
}

/** Where the check is, for the deadline's message; `pacer.pause()` between machines, needs and rules. */
interface Progress {
  pacer: Pacer;
  machine?: StateMachineModel;
  needs?: number;
}

async function checkPaced(
  machines: StateMachineModel[],
  options: CheckOptions,
  progress: Progress,
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
  const prepared = [];
  const { pacer } = progress;
  for (const machine of machines) {
    Object.assign(progress, { machine, needs: undefined });
    await pacer.pause();
    prepared.push({ machine, ...(await readNeeds(machine, bucketKey)) });
  }
  const needsByRole = new Map<string, Need[]>();
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    needsByRole.set(machine.role.arn, [...(needsByRole.get(machine.role.arn) ?? []), ...needs.needs]);
  }

  const analyses: MachineAnalysis[] = [];
  for (const { machine, needs, definitionError } of prepared) {
    Object.assign(progress, { machine, needs: needs.needs.length });
    await pacer.pause();
    const role = machine.role;
    const needResults: NeedResult[] = [];
    if (role) {
      const simulated = needs.needs.filter((need) => !need.runtime);
      const requests = simulated.map((need) => needRequests(need, machine, role));
      const evaluations = await options.simulator.simulate(role, requests.flat());
      let offset = 0;
      simulated.forEach((need, index) => {
        const own = requests[index] as AccessRequest[];
        const results = own.map((request, i) => ({
          request,
          evaluation: evaluations[offset + i] as (typeof evaluations)[number],
        }));
        offset += own.length;
        const decisions = results.map((r) => r.evaluation.decision);
        const status = decisions.every((d) => d === 'allowed')
          ? 'allowed'
          : decisions.includes('explicitDeny') || role.unknown.length === 0
            ? 'denied'
            : 'unproven';
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
  for (const analysis of analyses) {
    Object.assign(progress, { machine: analysis.machine, needs: analysis.needs.needs.length });
    await pacer.pause();
    findings.push(...runRules(analysis, options.rules ?? RULES));
    // A rule stopped by the deadline became a rule-error finding; the deadline, not that finding, is the answer.
    await pacer.pause();
  }
  return { findings, analyses };
}

// The check pipeline: needs → simulated requests → rules → findings (suppressions applied).
import { DefinitionError, parseDefinition } from '../asl/definition';
import type { AccessRequest } from '../iam';
import type { StateMachineModel, Unverifiable } from '../model/state-machine';
import { own } from '../model/json';
import { deriveBaseNeeds, type BaseNeeds } from '../needs';
import type { Need, NeedsResult } from '../needs/types';
import { RULES } from './registry';
import { needRequests } from './requests';
import type { Simulator } from '../ports/simulator';
import { compileRole } from './role';
import { runRules } from './run-rules';
import type { Finding, MachineAnalysis, NeedResult, Rule } from './types';

const EMPTY_NEEDS: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [] };

/** The SSE-KMS key of a bucket in the account, undefined for none (Backend.bucketKey). */
export type BucketKeyLookup = (bucket: string) => Promise<string | undefined>;

/** Needs derived once: the keys of the static buckets they name come from `bucketKey` over the machine's own. */
async function readNeeds(
  machine: StateMachineModel,
  bucketKey: BucketKeyLookup | undefined,
): Promise<{ needs: NeedsResult; unverifiable?: Unverifiable[]; definitionError?: { path: string; message: string } }> {
  if (machine.definitionUnavailable !== undefined)
    return { needs: EMPTY_NEEDS, definitionError: { path: '$', message: machine.definitionUnavailable } };
  // No definition and no reason it is broken: out of reach (machine.unverifiable says why), nothing to derive.
  if (machine.definition === undefined && machine.unverifiable.length > 0) return { needs: EMPTY_NEEDS };
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
  const unverifiable = new Map<string, Unverifiable>();
  const needs = base.withBucketKeys((bucket) => {
    const key = live.get(bucket) ?? own(machine.context.bucketKeys, bucket);
    const alias = key === undefined ? undefined : /:(alias\/.+)$/.exec(key)?.[1];
    if (key === undefined || alias === undefined) return key;
    // AWS managed keys (alias/aws/s3) let every principal of the account use them through S3 by their key
    // policy: no IAM grant is needed. https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
    if (alias.startsWith('alias/aws/')) return undefined;
    // An alias names no key a grant could be checked against (a grant on the alias ARN authorizes nothing).
    unverifiable.set(bucket, {
      subject: `the KMS key of bucket ${bucket} (${alias})`,
      reason: `dmap-guard does not know which key ${alias} points to, so it cannot check kms:Decrypt or kms:GenerateDataKey on it; IAM grants on the alias ARN do not apply to the key`,
      remedy: `Pass --bucket-key ${bucket}=<key ARN>, define the alias in the template, or run dmap-guard audit (DescribeKey resolves it).`,
    });
    return undefined;
  });
  return { needs, unverifiable: [...unverifiable.values()] };
}

export interface CheckOptions {
  simulator: Simulator;
  rules?: Rule[];
  /** Asks a live account for bucket keys; each bucket is asked once per call. */
  bucketKey?: BucketKeyLookup;
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
  const prepared = [];
  for (const model of machines) {
    const { unverifiable, ...read } = await readNeeds(model, bucketKey);
    // What reading the needs could not decide joins what the input could not (the unverifiable rule reports both).
    const machine =
      unverifiable && unverifiable.length > 0
        ? { ...model, unverifiable: [...model.unverifiable, ...unverifiable] }
        : model;
    prepared.push({ machine, ...read });
  }
  const needsByRole = new Map<string, Need[]>();
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    needsByRole.set(machine.role.arn, [...(needsByRole.get(machine.role.arn) ?? []), ...needs.needs]);
  }

  const analyses: MachineAnalysis[] = [];
  for (const { machine, needs, definitionError } of prepared) {
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
  for (const analysis of analyses) findings.push(...runRules(analysis, options.rules ?? RULES));
  return { findings, analyses };
}

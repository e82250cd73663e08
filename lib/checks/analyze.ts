// The check pipeline: needs → simulated requests → rules → findings (suppressions applied). It is written once,
// as steps that ask for what lies outside (bucket keys, simulations), and driven asynchronously for the CLI, the
// hook and audit, or synchronously for callers that cannot wait (the CDK validation plugin).
import { DefinitionError, parseDefinition } from '../asl/definition';
import type { AccessRequest, Evaluation } from '../iam';
import type { Catalogue } from '../iam/catalogue';
import { kmsAliasIn } from '../model/arns';
import { own } from '../model/json';
import type { RoleModel, StateMachineModel, Unverifiable } from '../model/state-machine';
import { deriveBaseNeeds, type BaseNeeds } from '../needs';
import type { Need, NeedsResult, UnmodeledIntegration } from '../needs/types';
import type { Simulator, SyncSimulator } from '../ports/simulator';
import { RULES } from './registry';
import { DeadlineExceeded, deadlineInForce, Pacer, workOf, type Deadline } from './deadline';
import { needRequests } from './requests';
import {
  applyResourcePolicies,
  bucketPlaceProblems,
  type BucketPlaces,
  type BucketRegionAnswer,
  type BucketRegionStep,
  type LiveResourcePolicy,
  type ResourcePolicyAnswer,
  type ResourcePolicyStep,
} from './resource-side';
import { catalogueServices } from './catalogue-checks';
import { compileRole } from './role';
import { runRules } from './run-rules';
import type { Finding, MachineAnalysis, NeedResult, NeedStatus, Rule } from './types';

const EMPTY_NEEDS: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [], bucketUses: [] };

/** The IAM catalogue for these services (lib/iam/load-catalogue.ts reads it from disk). */
export type CatalogueLoader = (services: string[]) => Promise<Catalogue>;

/** The SSE-KMS key of a bucket in the account, undefined for none (Backend.bucketKey). */
export type BucketKeyLookup = (bucket: string) => Promise<string | undefined>;

export interface CheckOptions {
  simulator: Simulator;
  rules?: Rule[];
  /** Asks a live account for bucket keys; each bucket is asked once per call. */
  bucketKey?: BucketKeyLookup;
  /**
   * IAM catalogue for the catalogue checks, or a loader (lib/iam/load-catalogue.ts) asked once, after the
   * needs are derived, for the services the needs and roles involve; without either they find nothing.
   */
  catalogue?: Catalogue | CatalogueLoader;
  /** Asks a live account for key and bucket policies; each resource is asked once per call. */
  resourcePolicy?: LiveResourcePolicy;
  /** Stop with DeadlineExceeded when it passes; defaults to the deadline in force (withDeadline). */
  deadline?: Deadline;
}

export interface CheckResult {
  findings: Finding[];
  analyses: MachineAnalysis[];
}

/** What the pipeline asks of its driver: a bucket's key, or decisions for a role's requests. */
type Step =
  // A place to yield to the event loop and check the deadline (the hook's budget holds for CPU-bound work), with
  // where the check is, for the message when it does not fit.
  | { kind: 'pause'; machine: StateMachineModel; needs?: number }
  | { kind: 'bucketKey'; bucket: string }
  | { kind: 'simulate'; role: RoleModel; requests: AccessRequest[] }
  | { kind: 'catalogue'; services: string[] }
  | ResourcePolicyStep
  | BucketRegionStep;
type Answer = string | undefined | Evaluation[] | ResourcePolicyAnswer | BucketRegionAnswer | Catalogue;

/** Analyse state machines and run every rule on each; machines sharing a role are judged against all their needs. */
export async function checkStateMachines(machines: StateMachineModel[], options: CheckOptions): Promise<CheckResult> {
  const keys = new Map<string, Promise<string | undefined>>();
  const policies = new Map<string, Promise<ResourcePolicyAnswer>>();
  const regions = new Map<string, Promise<BucketRegionAnswer>>();
  const { bucketKey, resourcePolicy } = options;
  const loader = typeof options.catalogue === 'function' ? options.catalogue : undefined;
  const steps = checkSteps(machines, {
    rules: options.rules ?? RULES,
    askKeys: bucketKey !== undefined,
    askPolicies: resourcePolicy !== undefined,
    askRegions: resourcePolicy?.bucketRegion !== undefined,
    catalogue: loader ? 'ask' : (options.catalogue as Catalogue | undefined),
  });
  const pacer = new Pacer(options.deadline ?? deadlineInForce());
  let where: { machine: StateMachineModel; needs?: number } | undefined;
  try {
    let step = steps.next();
    while (!step.done) {
      const ask = step.value;
      if (ask.kind === 'pause') {
        where = ask;
        await pacer.pause();
        step = steps.next(undefined);
      } else if (ask.kind === 'simulate') {
        step = steps.next(await options.simulator.simulate(ask.role, ask.requests));
      } else if (ask.kind === 'catalogue') {
        step = steps.next(await (loader as CatalogueLoader)(ask.services));
      } else if (ask.kind === 'bucketKey') {
        const known = keys.get(ask.bucket) ?? (bucketKey as BucketKeyLookup)(ask.bucket);
        keys.set(ask.bucket, known);
        step = steps.next(await known);
      } else if (ask.kind === 'bucketRegion') {
        const known = regions.get(ask.bucket) ?? resourcePolicy?.bucketRegion?.(ask.bucket);
        if (known) regions.set(ask.bucket, known);
        step = steps.next(await known);
      } else {
        // A key's answer includes the role's grants, so keys are asked once per role; buckets once.
        const cacheKey = ask.target.kind === 'key' ? `${ask.target.arn} ${ask.roleArn}` : ask.target.arn;
        const known = policies.get(cacheKey) ?? (resourcePolicy as LiveResourcePolicy)(ask.target, ask.roleArn);
        policies.set(cacheKey, known);
        step = steps.next(await known);
      }
    }
    return step.value;
  } catch (error) {
    // Name the machine that did not fit, and how large it is.
    if (error instanceof DeadlineExceeded && error.work === undefined && where)
      throw new DeadlineExceeded(workOf(where.machine, where.needs));
    throw error;
  }
}

/** The same pipeline for callers that cannot wait; bucket keys come from the machines' own context only. */
export function checkStateMachinesSync(
  machines: StateMachineModel[],
  options: { simulator: SyncSimulator; rules?: Rule[]; catalogue?: Catalogue },
): CheckResult {
  const steps = checkSteps(machines, {
    rules: options.rules ?? RULES,
    askKeys: false,
    askPolicies: false,
    askRegions: false,
    catalogue: options.catalogue,
  });
  let step = steps.next();
  while (!step.done) {
    const ask = step.value;
    step = steps.next(ask.kind === 'simulate' ? options.simulator.simulateSync(ask.role, ask.requests) : undefined);
  }
  return step.value;
}

/** Needs derived once: the keys of the static buckets they name are asked for over the machine's own. */
function* readNeeds(
  machine: StateMachineModel,
  askKeys: boolean,
): Generator<
  Step,
  { needs: NeedsResult; unverifiable?: Unverifiable[]; definitionError?: { path: string; message: string } },
  Answer
> {
  // No definition because it is out of reach (machine.unverifiable says why): unverified, not broken.
  if (machine.definition === undefined && machine.unverifiable.length > 0) return { needs: EMPTY_NEEDS };
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
  if (askKeys)
    for (const bucket of base.keyedBuckets) {
      const key = yield { kind: 'bucketKey', bucket };
      if (typeof key === 'string') live.set(bucket, key);
    }
  const unverifiable = new Map<string, Unverifiable>();
  const needs = base.withBucketKeys((bucket) => {
    const key = live.get(bucket) ?? own(machine.context.bucketKeys, bucket);
    const alias = key === undefined ? undefined : kmsAliasIn(key);
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

/** The pipeline as steps: it yields what it needs from outside and is resumed with the answer. */
function* checkSteps(
  machines: StateMachineModel[],
  how: {
    rules: Rule[];
    askKeys: boolean;
    askPolicies: boolean;
    askRegions: boolean;
    catalogue: Catalogue | 'ask' | undefined;
  },
): Generator<Step, CheckResult, Answer> {
  const { rules, askKeys, askPolicies, askRegions } = how;
  const prepared = [];
  for (const model of machines) {
    yield { kind: 'pause', machine: model };
    const { unverifiable = [], ...read } = yield* readNeeds(model, askKeys);
    const places = yield* bucketPlaceProblems(model, read.needs.bucketUses, askRegions) as Generator<
      Step,
      BucketPlaces,
      Answer
    >;
    if (places.problems.length > 0)
      read.needs = { ...read.needs, problems: [...read.needs.problems, ...places.problems] };
    // What reading the needs could not decide joins what the input could not (the unverifiable rule reports both).
    const undecided = [...unverifiable, ...places.unverifiable];
    const machine = undecided.length > 0 ? { ...model, unverifiable: [...model.unverifiable, ...undecided] } : model;
    prepared.push({ machine, ...read });
  }
  // Machines sharing a role are judged together: grants against the union of their needs, once per role.
  const byRole = new Map<string, { needs: Need[]; unmodeled: UnmodeledIntegration[]; machines: StateMachineModel[] }>();
  // A role is one role within one input (template, account): templates checked together may give different
  // roles the same analysis name, and a role shared across templates is reported in each.
  const roleKey = (machine: StateMachineModel) => `${machine.source}\u0000${machine.role?.arn ?? ''}`;
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    const key = roleKey(machine);
    let shared = byRole.get(key);
    if (!shared) byRole.set(key, (shared = { needs: [], unmodeled: [], machines: [] }));
    shared.needs.push(...needs.needs);
    shared.unmodeled.push(...needs.unmodeled);
    shared.machines.push(machine);
  }

  // The catalogue for the services of the needs derived above and of the roles (each shared role once).
  const catalogue =
    how.catalogue === 'ask'
      ? ((yield {
          kind: 'catalogue',
          services: catalogueServices(
            [...new Set(prepared.map((p) => p.machine.role))].filter((r): r is RoleModel => r !== undefined),
            prepared.flatMap((p) => p.needs.needs),
          ),
        }) as Catalogue)
      : how.catalogue;

  const analyses: MachineAnalysis[] = [];
  // One request time for the whole check, so requests differ in context only where the service sends different keys.
  const now = new Date();
  for (const { machine, needs, definitionError } of prepared) {
    yield { kind: 'pause', machine, needs: needs.needs.length };
    const role = machine.role;
    const shared = role ? byRole.get(roleKey(machine)) : undefined;
    const needResults: NeedResult[] = [];
    if (role) {
      const simulated = needs.needs.filter((need) => !need.runtime);
      const requests = simulated.map((need) => needRequests(need, machine, role, now));
      const evaluations = (yield { kind: 'simulate', role, requests: requests.flat() }) as Evaluation[];
      const combined = requests.flat().map((request, i) => ({ request, evaluation: evaluations[i] as Evaluation }));
      yield* applyResourcePolicies(machine, role, combined, askPolicies, needs.bucketUses) as Generator<
        Step,
        void,
        Answer
      >;
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
      roleNeeds: shared?.needs ?? needs.needs,
      roleMachines: shared?.machines ?? [machine],
      roleUnmodeled: shared?.unmodeled ?? needs.unmodeled,
      policyProblems: role ? compileRole(role).problems : [],
    };
    if (role) analysis.role = role;
    if (definitionError) analysis.definitionError = definitionError;
    if (catalogue) analysis.catalogue = catalogue;
    analyses.push(analysis);
  }

  const findings: Finding[] = [];
  for (const analysis of analyses) {
    yield { kind: 'pause', machine: analysis.machine, needs: analysis.needs.needs.length };
    findings.push(...runRules(analysis, rules));
    // A rule stopped by the deadline became a rule-error finding; the deadline, not that finding, is the answer.
    yield { kind: 'pause', machine: analysis.machine, needs: analysis.needs.needs.length };
  }
  return { findings, analyses };
}

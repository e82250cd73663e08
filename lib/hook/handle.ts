// The Lambda Hook: request → units of work (one per state machine) → findings → response. Never throws:
// unexpected errors answer InternalFailure (or pass, with ON_ERROR=pass); work that does not fit the time
// budget answers IN_PROGRESS with what is done in callbackContext, at most three times.
import { parseDocumentText } from '../cfn/load';
import { applySubstitutions } from '../cfn/intrinsics';
import { physicalName } from '../cfn/resources';
import { checkStateMachines } from '../checks/analyze';
import { EmbeddedSimulator, type Simulator } from '../checks/simulator';
import type { Finding } from '../checks/types';
import type { StateMachineModel } from '../model';
import { bucketKeysFor } from '../deployed';
import type { Backend } from '../ports';
import type { FailOn } from '../report/report';
import { MAX_INVOCATIONS, MAX_MESSAGE, type HookRequest, type HookResponse } from './contract';
import { clip, internalFailure, verdict } from './response';
import { analyzeWithBackend, parseStackId, type StackContext } from './stack';
import { isRecord } from '../json';

export interface HookConfig {
  failOn: FailOn;
  onError: 'fail' | 'pass';
  /** Milliseconds this invocation may work before answering IN_PROGRESS (CloudFormation waits 30 s). */
  budgetMs: number;
}

export interface HookOutcome {
  response: HookResponse;
  findings: Finding[];
  /** What was checked, for logs and metrics. */
  subject: string;
}

interface Unit {
  id: string;
  run(): Promise<Finding[]>;
}

interface Plan {
  subject: string;
  units: Unit[];
  /** Said when there is nothing to check. */
  skip?: string;
}

const IAM_TYPES = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::RolePolicy', 'AWS::IAM::ManagedPolicy']);

/**
 * Hooks may deliver scalars as strings ("true", "10"). Booleans are coerced everywhere; numeric strings are
 * left alone, since no property dmap-guard reads is a number and names such as "123" must stay strings.
 */
export function coerceScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coerceScalars);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceScalars(v)]));
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

class Budget {
  readonly controller = new AbortController();
  /** Rejects when the budget is spent. */
  readonly expired: Promise<never>;
  private readonly timer: NodeJS.Timeout;
  constructor(ms: number) {
    let reject: (error: Error) => void = () => undefined;
    this.expired = new Promise<never>((_resolve, fail) => (reject = fail));
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      const error = new Error('time budget spent');
      this.controller.abort(error);
      reject(error);
    }, ms);
  }
  get spent(): boolean {
    return this.controller.signal.aborted;
  }
  done(): void {
    clearTimeout(this.timer);
  }
}

export async function handleHookRequest(
  event: unknown,
  backendFor: (signal: AbortSignal) => Backend,
  config: HookConfig,
): Promise<HookOutcome> {
  const token = isRecord(event) && typeof event.clientRequestToken === 'string' ? event.clientRequestToken : '';
  try {
    return await handle(event, token, backendFor, config);
  } catch (error) {
    // Last resort: nothing in a request may make the hook throw.
    return {
      response: internalFailure(
        token,
        `unexpected ${(error as Error)?.name ?? 'error'}: ${(error as Error)?.message ?? ''}`,
        config.onError,
      ),
      findings: [],
      subject: 'unknown target',
    };
  }
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

async function handle(
  event: unknown,
  token: string,
  backendFor: (signal: AbortSignal) => Backend,
  config: HookConfig,
): Promise<HookOutcome> {
  const request = (isRecord(event) ? event : {}) as HookRequest;
  const data = isRecord(request.requestData) ? request.requestData : undefined;
  const target =
    typeof data?.targetType === 'string'
      ? data.targetType
      : typeof data?.targetName === 'string'
        ? data.targetName
        : undefined;
  const subject = `${text(target, 'unknown target')} ${text(data?.targetLogicalId, '')}`.trim();
  if (!isRecord(event) || data === undefined || target === undefined) {
    return {
      response: internalFailure(
        token,
        'the event is not a CloudFormation Lambda Hook request (requestData.targetType is missing)',
        config.onError,
      ),
      findings: [],
      subject,
    };
  }
  const budget = new Budget(config.budgetMs);
  const invocation = typeof request.requestContext?.invocation === 'number' ? request.requestContext.invocation : 1;
  const carried = request.requestContext?.callbackContext;
  const done: Record<string, Finding[]> =
    isRecord(carried) && isRecord(carried.done) ? (carried.done as Record<string, Finding[]>) : {};
  try {
    const work = async () => {
      const backend = backendFor(budget.controller.signal);
      const plan = await planFor(request, target, backend);
      if (plan.skip !== undefined)
        return {
          response: {
            hookStatus: 'SUCCESS' as const,
            message: clip(`dmap-guard: ${plan.skip}`, MAX_MESSAGE),
            clientRequestToken: token,
          },
          findings: [],
          subject: plan.subject,
        };
      for (const unit of plan.units) {
        if (unit.id in done) continue;
        done[unit.id] = (await unit.run()).map(({ origin: _origin, ...finding }) => finding);
      }
      const findings = Object.values(done).flat();
      return { response: verdict(token, plan.subject, findings, config.failOn), findings, subject: plan.subject };
    };
    // The budget holds even when a call ignores the abort signal.
    return await Promise.race([work(), budget.expired]);
  } catch (error) {
    if (budget.spent) {
      if (invocation < MAX_INVOCATIONS) {
        return {
          response: {
            hookStatus: 'IN_PROGRESS',
            message: `dmap-guard: ${Object.keys(done).length} state machine(s) checked so far; continuing.`,
            clientRequestToken: token,
            callbackContext: { done },
            callbackDelaySeconds: 1,
          },
          findings: [],
          subject,
        };
      }
      return {
        response: internalFailure(
          token,
          `the check did not finish within ${MAX_INVOCATIONS} invocations`,
          config.onError,
        ),
        findings: [],
        subject,
      };
    }
    return {
      response: internalFailure(token, `${(error as Error).name}: ${(error as Error).message}`, config.onError),
      findings: [],
      subject,
    };
  } finally {
    budget.done();
  }
}

async function planFor(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const point = request.actionInvocationPoint ?? '';
  const logicalId = request.requestData?.targetLogicalId ?? '';
  if (point.startsWith('DELETE'))
    return { subject: `${target} ${logicalId}`, units: [], skip: 'deletions need no permission check.' };
  if (target === 'AWS::StepFunctions::StateMachine') return stateMachinePlan(request, backend);
  if (IAM_TYPES.has(target)) return iamPlan(request, target, backend);
  if (target === 'STACK' || target === 'CHANGE_SET') return stackPlan(request, target, backend);
  return { subject: target, units: [], skip: `${target} is not a target dmap-guard checks.` };
}

function stackContextOf(request: HookRequest): StackContext {
  const context = parseStackId(request.stackId ?? '');
  if (!context) throw new Error(`stackId "${request.stackId ?? ''}" is not a CloudFormation stack ARN`);
  return context;
}

/** The stack's template analysed with what already exists: the machines and their roles as they will be. */
async function stackMachines(
  stack: StackContext,
  backend: Backend,
  replace?: { logicalId: string; properties: Record<string, unknown> },
): Promise<StateMachineModel[]> {
  const text = await backend.stackTemplate(stack.stackId);
  if (text === undefined) return [];
  const doc = parseDocumentText(text, stack.stackName);
  if (
    replace &&
    isRecord(doc.value) &&
    isRecord(doc.value.Resources) &&
    isRecord(doc.value.Resources[replace.logicalId])
  ) {
    (doc.value.Resources[replace.logicalId] as Record<string, unknown>).Properties = replace.properties;
  }
  const physicalIds = await backend.stackResources(stack.stackId);
  return analyzeWithBackend(JSON.stringify(doc.value), stack.stackName, { ...stack, physicalIds }, backend);
}

async function check(machine: StateMachineModel, simulator: Simulator): Promise<Finding[]> {
  return (await checkStateMachines([machine], { simulator })).findings;
}

/** A machine from the stack's template: live bucket keys over the template's, judged by the given simulator. */
function templateMachineUnit(machine: StateMachineModel, backend: Backend, simulator: Simulator): Unit {
  return {
    id: machine.id,
    run: async () => {
      machine.context.bucketKeys = { ...machine.context.bucketKeys, ...(await bucketKeysFor(machine, backend)) };
      return check(machine, simulator);
    },
  };
}

async function stateMachinePlan(request: HookRequest, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? 'StateMachine';
  const subject = `state machine ${logicalId}`;
  const props = coerceScalars(request.requestData?.targetModel?.resourceProperties ?? {}) as Record<string, unknown>;
  const stack = stackContextOf(request);
  const fromTemplate = (await stackMachines(stack, backend)).find((m) => m.id === logicalId);
  // One name for both the needs and the stack's pending policies when the machine has no name yet.
  const name =
    typeof props.StateMachineName === 'string'
      ? props.StateMachineName
      : (fromTemplate?.context.name ?? physicalName({ ...stack }, logicalId, { maxLength: 80, withStack: false }));
  const substitutions = isRecord(props.DefinitionSubstitutions) ? props.DefinitionSubstitutions : {};
  let definition: unknown = props.Definition ?? props.DefinitionString;
  let unavailable: string | undefined;
  const location = props.DefinitionS3Location;
  if (
    definition === undefined &&
    isRecord(location) &&
    typeof location.Bucket === 'string' &&
    typeof location.Key === 'string'
  ) {
    const text = await backend.objectText(
      location.Bucket,
      location.Key,
      typeof location.Version === 'string' ? location.Version : undefined,
    );
    definition = parseDocumentText(text, `s3://${location.Bucket}/${location.Key}`).value;
  }
  if (definition === undefined)
    unavailable = 'the resource properties carry no Definition, DefinitionString or DefinitionS3Location';
  const encryption = isRecord(props.EncryptionConfiguration) ? props.EncryptionConfiguration : {};
  const roleArn = typeof props.RoleArn === 'string' ? props.RoleArn : '';
  const machine: StateMachineModel = {
    id: logicalId,
    arn: `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${name}`,
    context: {
      name,
      partition: stack.partition,
      region: stack.region,
      account: stack.account,
      type: props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      bucketKeys: {},
      logging:
        isRecord(props.LoggingConfiguration) &&
        typeof props.LoggingConfiguration.Level === 'string' &&
        props.LoggingConfiguration.Level !== 'OFF',
      tracing: isRecord(props.TracingConfiguration) && props.TracingConfiguration.Enabled === true,
      ...(encryption.Type === 'CUSTOMER_MANAGED_KMS_KEY' && typeof encryption.KmsKeyId === 'string'
        ? { encryptionKey: encryption.KmsKeyId }
        : {}),
    },
    definition: applySubstitutions(
      definition,
      Object.fromEntries(Object.entries(substitutions).map(([k, v]) => [k, String(v)])),
    ),
    source: stack.stackName,
    suppressions: fromTemplate?.suppressions ?? [],
  };
  if (unavailable !== undefined) machine.definitionUnavailable = unavailable;
  if (roleArn === '') machine.roleReference = 'none (RoleArn is missing)';
  // The template's view of the role includes policies the stack creates later (CDK's DistributedMapPolicy).
  const role =
    fromTemplate?.role?.arn === roleArn
      ? fromTemplate.role
      : roleArn === ''
        ? undefined
        : await backend.readRole(roleArn);
  if (role) machine.role = role;
  const pending = (role?.identityPolicies ?? []).filter((p) => p.origin !== undefined).map((p) => p.document);
  return {
    subject,
    units: [
      {
        id: logicalId,
        run: async () => {
          machine.context.bucketKeys = {
            ...fromTemplate?.context.bucketKeys,
            ...(await bucketKeysFor(machine, backend)),
          };
          return check(machine, backend.simulator(pending));
        },
      },
    ],
  };
}

/** Role names a proposed IAM resource attaches to. */
function attachedRoleNames(
  target: string,
  logicalId: string,
  props: Record<string, unknown>,
  physicalIds: Record<string, string>,
): Set<string> {
  if (target === 'AWS::IAM::Role')
    return new Set([typeof props.RoleName === 'string' ? props.RoleName : (physicalIds[logicalId] ?? '')]);
  if (target === 'AWS::IAM::RolePolicy') return new Set([String(props.RoleName ?? '')]);
  return new Set(Array.isArray(props.Roles) ? props.Roles.map(String) : []);
}

async function iamPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const logicalId = request.requestData?.targetLogicalId ?? '';
  const props = coerceScalars(request.requestData?.targetModel?.resourceProperties ?? {}) as Record<string, unknown>;
  const stack = stackContextOf(request);
  const physicalIds = await backend.stackResources(stack.stackId);
  const roles = attachedRoleNames(target, logicalId, props, physicalIds);
  // The proposed documents replace the current ones: judged with the embedded evaluator, since
  // SimulatePrincipalPolicy would still see the attached policies this change removes.
  const machines = (await stackMachines(stack, backend, { logicalId, properties: props })).filter(
    (m) => m.role && roles.has(m.role.arn.split('/').pop() ?? ''),
  );
  const subject = `${target} ${logicalId}`;
  if (machines.length === 0)
    return { subject, units: [], skip: `${subject} is used by no state machine of this stack.` };
  const simulator = new EmbeddedSimulator();
  return {
    subject: `${subject} (used by ${machines.map((m) => m.id).join(', ')})`,
    units: machines.map((machine) => templateMachineUnit(machine, backend, simulator)),
  };
}

async function stackPlan(request: HookRequest, target: string, backend: Backend): Promise<Plan> {
  const payloadUrl = request.requestData?.payload;
  if (typeof payloadUrl !== 'string') throw new Error(`${target} request has no payload URL`);
  const stack = stackContextOf(request);
  const payload: unknown = JSON.parse(await backend.fetchPayload(payloadUrl));
  const template = isRecord(payload) ? payload.template : undefined;
  const subject = `${target === 'STACK' ? 'stack' : 'change set of'} ${stack.stackName}`;
  if (typeof template !== 'string' || template.trim() === '')
    return { subject, units: [], skip: `${subject} has no template to check.` };
  const physicalIds = await backend.stackResources(stack.stackId);
  const machines = await analyzeWithBackend(template, stack.stackName, { ...stack, physicalIds }, backend);
  if (machines.length === 0) return { subject, units: [], skip: `${subject} defines no state machine.` };
  const simulator = new EmbeddedSimulator();
  return {
    subject,
    units: machines.map((machine) => templateMachineUnit(machine, backend, simulator)),
  };
}

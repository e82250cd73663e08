// State machines that exist (or are described by definition + role) → models, through the Backend port.
import { parseDefinition } from '../asl/definition';
import type { StateMachineModel } from '../model/state-machine';
import { parseStateMachineArn } from '../model/arns';
import { deriveNeeds } from '../needs';
import type { Backend } from '../ports/backend';

/** SSE-KMS keys of the buckets a machine's ItemReader and ResultWriter name statically. */
export async function bucketKeysFor(machine: StateMachineModel, backend: Backend): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  let needs;
  try {
    needs = deriveNeeds(parseDefinition(machine.definition), machine.context).needs;
  } catch {
    return keys;
  }
  const buckets = new Set(
    needs
      .filter(
        (n) => !n.runtime && ['ListItemReaderBucket', 'ReadItemReaderObjects', 'WriteMapRunResults'].includes(n.sid),
      )
      .flatMap((n) => n.resources.map((r) => /^arn:[^:]+:s3:::([^/*]+)/.exec(r)?.[1]))
      .filter((b): b is string => b !== undefined),
  );
  for (const bucket of buckets) {
    const key = await backend.bucketKey(bucket);
    if (key !== undefined) keys[bucket] = key;
  }
  return keys;
}

export interface DefinitionInput {
  definition: unknown;
  roleArn: string;
  /** Name of the state machine (its ARN scopes StartExecution). */
  name: string;
  region: string;
  account: string;
  partition: string;
  type?: 'STANDARD' | 'EXPRESS';
  source: string;
  id?: string;
}

/** A definition and a role ARN, as the validate and custom-resource entry points take them. */
export async function definitionModel(input: DefinitionInput, backend: Backend): Promise<StateMachineModel> {
  const machine: StateMachineModel = {
    id: input.id ?? input.name,
    arn: `arn:${input.partition}:states:${input.region}:${input.account}:stateMachine:${input.name}`,
    context: {
      name: input.name,
      partition: input.partition,
      region: input.region,
      account: input.account,
      type: input.type ?? 'STANDARD',
      bucketKeys: {},
      logging: false,
      tracing: false,
    },
    definition: input.definition,
    role: await backend.readRole(input.roleArn),
    source: input.source,
    suppressions: [],
  };
  machine.context.bucketKeys = await bucketKeysFor(machine, backend);
  return machine;
}

/** A deployed state machine: its definition, settings and role as Step Functions and IAM report them. */
export async function deployedModel(arn: string, backend: Backend): Promise<StateMachineModel> {
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new Error(`"${arn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
  const described = await backend.describeStateMachine(arn);
  const machine: StateMachineModel = {
    id: arn,
    arn,
    context: {
      ...parts,
      name: described.name,
      type: described.type,
      bucketKeys: {},
      logging: described.logging,
      tracing: described.tracing,
      ...(described.encryptionKey ? { encryptionKey: described.encryptionKey } : {}),
    },
    definition: described.definition,
    role: await backend.readRole(described.roleArn),
    source: `account ${parts.account} ${parts.region}`,
    suppressions: [],
  };
  machine.context.bucketKeys = await bucketKeysFor(machine, backend);
  return machine;
}

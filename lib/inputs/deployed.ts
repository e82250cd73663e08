// State machines that exist (or are described by definition + role) → models, through the Backend port.
// Bucket keys are not read here: the check asks the backend for those of the buckets the needs name.
import { kmsKeyArn, parseStateMachineArn } from '../model/arns';
import { stateMachineModel, type StateMachineModel } from '../model/state-machine';
import { UnreadableError, type Backend } from '../ports/backend';

export interface DefinitionInput {
  definition: unknown;
  roleArn: string;
  /** Name of the state machine (its ARN scopes StartExecution). */
  name: string;
  region: string;
  account: string;
  partition: string;
  type?: 'STANDARD' | 'EXPRESS';
  logging?: boolean;
  tracing?: boolean;
  /** Key ARN of the state machine's customer managed key. */
  encryptionKey?: string;
  source: string;
  id?: string;
}

/** A definition and a role ARN, as the validate and custom-resource entry points take them. */
export async function definitionModel(input: DefinitionInput, backend: Backend): Promise<StateMachineModel> {
  const { roleArn, id, ...rest } = input;
  return stateMachineModel({ ...rest, id: id ?? input.name, role: await backend.readRole(roleArn) });
}

/** A deployed state machine: its definition, settings and role as Step Functions and IAM report them. */
export async function deployedModel(arn: string, backend: Backend): Promise<StateMachineModel> {
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new Error(`"${arn}" is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
  let described;
  try {
    described = await backend.describeStateMachine(arn);
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    // Unverifiable, not a failure of the whole check (audit goes on with the other machines).
    return stateMachineModel({
      id: arn,
      arn,
      ...parts,
      definition: undefined,
      definitionUnavailable: `${error.subject} cannot be described: ${error.reason}; ${error.remedy}`,
      roleReference: `unknown (${error.subject} cannot be described)`,
      source: `account ${parts.account} ${parts.region}`,
      unverifiable: [{ subject: error.subject, reason: error.reason, remedy: error.remedy }],
    });
  }
  return stateMachineModel({
    id: arn,
    arn,
    ...parts,
    name: described.name,
    type: described.type,
    logging: described.logging,
    tracing: described.tracing,
    // kmsKeyId is "an alias, alias ARN, key ID, or key ARN" (API_EncryptionConfiguration): made an ARN as templates are.
    ...(described.encryptionKey ? { encryptionKey: kmsKeyArn(described.encryptionKey, parts) } : {}),
    definition: described.definition,
    role: await backend.readRole(described.roleArn),
    source: `account ${parts.account} ${parts.region}`,
  });
}

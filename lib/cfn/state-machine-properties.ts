// The one reader of AWS::StepFunctions::StateMachine (and AWS::Serverless::StateMachine) properties: type,
// where the definition is and its substitutions, logging, tracing, the customer managed key and the role.
// The template resolves intrinsics first; the hook and the custom resource get values CloudFormation resolved.
import { kmsKeyArn } from '../model/arns';
import { isRecord } from '../model/json';

export type DefinitionSource =
  | { kind: 'inline'; field: 'Definition' | 'DefinitionString'; value: unknown }
  | { kind: 'location'; field: 'DefinitionS3Location' | 'DefinitionUri'; value: unknown }
  /** No definition property at all; `field` is where a location would have been. */
  | { kind: 'none'; field: 'DefinitionS3Location' | 'DefinitionUri' };

export interface StateMachineProperties {
  type: 'STANDARD' | 'EXPRESS';
  definition: DefinitionSource;
  /** DefinitionSubstitutions, to apply to the definition once it is read. */
  substitutions: Record<string, unknown>;
  logging: boolean;
  tracing: boolean;
  /** EncryptionConfiguration.KmsKeyId of a CUSTOMER_MANAGED_KMS_KEY, as a key (or alias) ARN. */
  encryptionKey?: string;
  /** RoleArn (Role in SAM), as given. */
  role: unknown;
}

export interface ReadOptions {
  /** AWS::Serverless::StateMachine: Type, Logging, Tracing, Role and DefinitionUri. */
  sam?: boolean;
  /** Intrinsics resolution; the identity for properties CloudFormation already resolved. */
  resolve?: (value: unknown) => unknown;
  /** Where a bare key id or alias name lives. */
  where: { partition: string; region: string; account: string };
}

export function readStateMachineProperties(
  props: Record<string, unknown>,
  options: ReadOptions,
): StateMachineProperties {
  const sam = options.sam === true;
  const resolve = options.resolve ?? ((value: unknown) => value);
  const substitutions = resolve(props.DefinitionSubstitutions);
  const logging = resolve(sam ? props.Logging : props.LoggingConfiguration);
  const tracing = resolve(sam ? props.Tracing : props.TracingConfiguration);
  const encryption = resolve(props.EncryptionConfiguration);
  const read: StateMachineProperties = {
    type: resolve(sam ? props.Type : props.StateMachineType) === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    definition: definitionSource(props, sam, resolve),
    substitutions: isRecord(substitutions) ? substitutions : {},
    logging: isRecord(logging) && typeof logging.Level === 'string' && logging.Level !== 'OFF',
    tracing: isRecord(tracing) && (tracing.Enabled === true || tracing.Enabled === 'true'),
    role: resolve(sam ? props.Role : props.RoleArn),
  };
  if (
    isRecord(encryption) &&
    encryption.Type === 'CUSTOMER_MANAGED_KMS_KEY' &&
    typeof encryption.KmsKeyId === 'string'
  ) {
    read.encryptionKey = kmsKeyArn(encryption.KmsKeyId, options.where);
  }
  return read;
}

function definitionSource(
  props: Record<string, unknown>,
  sam: boolean,
  resolve: (value: unknown) => unknown,
): DefinitionSource {
  if (props.Definition !== undefined) return { kind: 'inline', field: 'Definition', value: resolve(props.Definition) };
  if (!sam && props.DefinitionString !== undefined)
    return { kind: 'inline', field: 'DefinitionString', value: resolve(props.DefinitionString) };
  const field = sam ? 'DefinitionUri' : 'DefinitionS3Location';
  return props[field] === undefined
    ? { kind: 'none', field }
    : { kind: 'location', field, value: resolve(props[field]) };
}

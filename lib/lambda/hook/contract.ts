// The CloudFormation Lambda Hook contract: request and response.
// https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html

export type HookStatus = 'SUCCESS' | 'FAILED' | 'IN_PROGRESS';
export type HookErrorCode = 'NonCompliant' | 'InternalFailure';

export interface HookRequest {
  clientRequestToken?: string;
  awsAccountId?: string;
  stackId?: string;
  changeSetId?: string | null;
  hookTypeName?: string;
  hookTypeVersion?: string;
  hookModel?: { LambdaFunction?: string };
  /** CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION or DELETE_PRE_PROVISION. */
  actionInvocationPoint?: string;
  requestData?: {
    targetName?: string;
    targetType?: string;
    targetLogicalId?: string;
    /** RESOURCE targets only: the proposed properties, and on UPDATE the current ones (empty on CREATE). */
    targetModel?: {
      resourceProperties?: Record<string, unknown>;
      previousResourceProperties?: Record<string, unknown>;
    };
    /** STACK and CHANGE_SET targets only: a presigned S3 URL to a StackPayload. */
    payload?: string;
  };
  /** callbackContext is null on the first invocation, then what the last IN_PROGRESS answer carried (callback.ts). */
  requestContext?: { invocation?: number; callbackContext?: Record<string, unknown> | null };
}

/** What a STACK or CHANGE_SET payload URL serves: template texts (JSON or YAML), empty on delete. */
export interface StackPayload {
  template?: string;
  /** STACK only. */
  previousTemplate?: string;
  /** CHANGE_SET only. */
  changedResources?: unknown[];
}

export interface HookAnnotation {
  annotationName: string;
  status: 'PASSED' | 'FAILED' | 'SKIPPED';
  statusMessage: string;
  remediationMessage?: string;
  remediationLink?: string;
  severityLevel: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
}

export interface HookResponse {
  hookStatus: HookStatus;
  errorCode?: HookErrorCode;
  message: string;
  clientRequestToken: string;
  annotations?: HookAnnotation[];
  callbackContext?: Record<string, unknown>;
  callbackDelaySeconds?: number;
}

/** CloudFormation truncates hook messages at 4096 characters. */
export const MAX_MESSAGE = 4096;
/** CloudFormation allows IN_PROGRESS at most three times. */
export const MAX_INVOCATIONS = 3;

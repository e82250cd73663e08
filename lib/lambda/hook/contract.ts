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
  actionInvocationPoint?: string;
  requestData?: {
    targetName?: string;
    targetType?: string;
    targetLogicalId?: string;
    targetModel?: {
      resourceProperties?: Record<string, unknown>;
      previousResourceProperties?: Record<string, unknown>;
    };
    payload?: string;
  };
  requestContext?: { invocation?: number; callbackContext?: Record<string, unknown> | null };
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

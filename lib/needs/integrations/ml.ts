// SageMaker AI, Bedrock, Bedrock AgentCore and Elemental MediaConvert.
import type { GrantSpec, IntegrationRow, PassRoleSpec } from './types';

const SAGEMAKER = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html';
const BEDROCK = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html';
const AGENTCORE = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrockagentcore.html';
const MEDIACONVERT = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-mediaconvert.html';
const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;
const polled = 'A .sync task polls the job and stops it when the execution stops.';

/** Step Functions tags the SageMaker resources it creates and reads their tags. */
const listTags = (resource: string): GrantSpec => ({
  actions: ['sagemaker:ListTags', 'sagemaker:AddTags'],
  resources: [resource],
  tier: 'recommended',
  why: 'Step Functions tags SageMaker resources it creates and reads their tags.',
});
const sagemakerRole = (field: string): PassRoleSpec[] => [{ field, service: 'sagemaker.amazonaws.com' }];

/** A SageMaker job: create, and for .sync describe and stop; the documented ARN ends in `{name}*`. */
function sagemakerJob(
  kind: string,
  nameField: string,
  roleField: string | undefined,
  rule: string | undefined,
): IntegrationRow[] {
  const resource = arn(
    'sagemaker',
    `${kind.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}-job/{${nameField}|lower}`,
  );
  const create: GrantSpec = {
    actions: [`sagemaker:Create${kind}Job`],
    resources: [resource],
    why: `The task creates a SageMaker ${kind} job.`,
  };
  const passRoles = roleField ? sagemakerRole(roleField) : [];
  const integration = `sagemaker:create${kind}Job`;
  return [
    { integration, pattern: 'request-response', grants: [create, listTags(resource)], passRoles, docs: SAGEMAKER },
    {
      integration,
      pattern: 'sync',
      grants: [
        create,
        listTags(resource),
        { actions: [`sagemaker:Describe${kind}Job`, `sagemaker:Stop${kind}Job`], resources: [resource], why: polled },
      ],
      passRoles,
      ...(rule ? { rule } : {}),
      docs: SAGEMAKER,
    },
  ];
}

const endpoint = arn('sagemaker', 'endpoint/{EndpointName|lower}');
const endpointConfig = arn('sagemaker', 'endpoint-config/{EndpointConfigName|lower}');

const invokeModel: GrantSpec[] = [
  {
    actions: ['bedrock:InvokeModel'],
    resources: ['{ModelId|bedrockModel}'],
    why: 'The task invokes this Bedrock model.',
  },
  {
    actions: ['s3:GetObject'],
    resources: ['{Input.S3Uri|s3uri}'],
    when: 'Input.S3Uri',
    why: 'Step Functions reads the request body from this S3 object with the execution role.',
  },
  {
    actions: ['s3:PutObject'],
    resources: ['{Output.S3Uri|s3uri}'],
    when: 'Output.S3Uri',
    why: 'Step Functions writes the response to this S3 object with the execution role.',
  },
  {
    actions: ['bedrock:ApplyGuardrail'],
    resources: [arn('bedrock', 'guardrail/{GuardrailIdentifier|name}')],
    when: 'GuardrailIdentifier',
    why: 'The model call applies this guardrail.',
  },
];
const customization: GrantSpec[] = [
  {
    actions: ['bedrock:CreateModelCustomizationJob'],
    resources: ['{BaseModelIdentifier|bedrockModel}', arn('bedrock', 'custom-model/*')],
    why: 'The task starts a Bedrock model customization job on this base model.',
  },
  {
    actions: ['bedrock:TagResource'],
    resources: [arn('bedrock', 'custom-model/*'), arn('bedrock', 'model-customization-job/*')],
    when: 'JobTags',
    tier: 'optional',
    why: 'Tags on the job and model.',
  },
];
const bedrockRole: PassRoleSpec[] = [{ field: 'RoleArn', service: 'bedrock.amazonaws.com' }];

const createJob: GrantSpec = {
  actions: ['mediaconvert:CreateJob'],
  resources: [arn('mediaconvert', 'queues/*'), arn('mediaconvert', 'jobTemplates/*'), arn('mediaconvert', 'presets/*')],
  why: 'The task creates a MediaConvert job.',
};
const mediaconvertRole: PassRoleSpec[] = [{ field: 'Role', service: 'mediaconvert.amazonaws.com' }];

export const ML: IntegrationRow[] = [
  ...sagemakerJob('Training', 'TrainingJobName', 'RoleArn', 'StepFunctionsGetEventsForSageMakerTrainingJobsRule'),
  ...sagemakerJob('Transform', 'TransformJobName', undefined, 'StepFunctionsGetEventsForSageMakerTransformJobsRule'),
  ...sagemakerJob('Processing', 'ProcessingJobName', 'RoleArn', 'StepFunctionsGetEventsForSageMakerProcessingJobsRule'),
  ...sagemakerJob(
    'HyperParameterTuning',
    'HyperParameterTuningJobName',
    'TrainingJobDefinition.RoleArn',
    'StepFunctionsGetEventsForSageMakerTuningJobsRule',
  ),
  ...sagemakerJob('Labeling', 'LabelingJobName', 'RoleArn', undefined),
  {
    integration: 'sagemaker:createEndpoint',
    pattern: 'request-response',
    grants: [
      {
        actions: ['sagemaker:CreateEndpoint'],
        resources: [endpoint, endpointConfig],
        why: 'The task creates this endpoint from this endpoint configuration.',
      },
      listTags(endpoint),
    ],
    docs: SAGEMAKER,
  },
  {
    integration: 'sagemaker:createEndpointConfig',
    pattern: 'request-response',
    grants: [
      {
        actions: ['sagemaker:CreateEndpointConfig'],
        resources: [endpointConfig],
        why: 'The task creates this endpoint configuration.',
      },
      listTags(endpointConfig),
    ],
    docs: SAGEMAKER,
  },
  {
    integration: 'sagemaker:createModel',
    pattern: 'request-response',
    grants: [
      {
        actions: ['sagemaker:CreateModel'],
        resources: [arn('sagemaker', 'model/{ModelName|lower}')],
        why: 'The task creates this model.',
      },
      listTags(arn('sagemaker', 'model/{ModelName|lower}')),
    ],
    passRoles: sagemakerRole('ExecutionRoleArn'),
    docs: SAGEMAKER,
  },
  {
    integration: 'sagemaker:updateEndpoint',
    pattern: 'request-response',
    grants: [
      {
        actions: ['sagemaker:UpdateEndpoint'],
        resources: [endpoint, endpointConfig],
        why: 'The task points this endpoint at this endpoint configuration.',
      },
    ],
    docs: SAGEMAKER,
  },
  {
    integration: 'bedrock:invokeModel',
    pattern: 'request-response',
    grants: invokeModel,
    readsS3: 'Input.S3Uri (s3:GetObject) and Output.S3Uri (s3:PutObject)',
    docs: BEDROCK,
  },
  {
    integration: 'bedrock:createModelCustomizationJob',
    pattern: 'request-response',
    grants: customization,
    passRoles: bedrockRole,
    docs: BEDROCK,
  },
  {
    integration: 'bedrock:createModelCustomizationJob',
    pattern: 'sync',
    grants: [
      ...customization,
      {
        actions: ['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'],
        resources: [arn('bedrock', 'model-customization-job/*')],
        why: polled,
      },
    ],
    passRoles: bedrockRole,
    docs: BEDROCK,
  },
  {
    integration: 'bedrockagentcore:invokeHarness',
    pattern: 'request-response',
    grants: [
      {
        actions: ['bedrock-agentcore:InvokeHarness', 'bedrock-agentcore:InvokeAgentRuntime'],
        resources: [arn('bedrock-agentcore', 'harness/{HarnessArn|arn}')],
        why: 'The task invokes this AgentCore harness.',
      },
    ],
    docs: AGENTCORE,
  },
  {
    integration: 'mediaconvert:createJob',
    pattern: 'request-response',
    grants: [createJob],
    passRoles: mediaconvertRole,
    docs: MEDIACONVERT,
  },
  {
    integration: 'mediaconvert:createJob',
    pattern: 'sync',
    grants: [
      createJob,
      {
        actions: ['mediaconvert:GetJob', 'mediaconvert:CancelJob'],
        resources: [arn('mediaconvert', 'jobs/*')],
        context: { 'aws:ResourceTag/ManagedByService': 'AWSStepFunctions' },
        why: 'A .sync task polls the job Step Functions tagged ManagedByService=AWSStepFunctions and cancels it when the execution stops.',
      },
    ],
    passRoles: mediaconvertRole,
    rule: 'StepFunctionsGetEventsForMediaConvertJobRule',
    docs: MEDIACONVERT,
  },
];

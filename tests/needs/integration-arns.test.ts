// Every integration ARN the Step Functions guide lists resolves to a row of the integration table (or, for the
// forms that need no table row, to needs without an unmodeled finding). The list is the one on
// https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html and the connect-* pages, plus
// https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html and EventBridge Scheduler through
// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html.
import { parseDefinition } from '../../lib/asl/definition';
import { deriveNeeds } from '../../lib/needs';
import { findIntegration } from '../../lib/needs/integrations';
import { CONTEXT } from '../helpers/integrations';

const AWS_LISTED: string[] = [
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
  'arn:aws:states:::batch:submitJob',
  'arn:aws:states:::batch:submitJob.sync',
  'arn:aws:states:::dynamodb:getItem',
  'arn:aws:states:::dynamodb:putItem',
  'arn:aws:states:::dynamodb:updateItem',
  'arn:aws:states:::dynamodb:deleteItem',
  'arn:aws:states:::ecs:runTask',
  'arn:aws:states:::ecs:runTask.waitForTaskToken',
  'arn:aws:states:::ecs:runTask.sync',
  'arn:aws:states:::sns:publish',
  'arn:aws:states:::sns:publish.waitForTaskToken',
  'arn:aws:states:::sqs:sendMessage',
  'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
  'arn:aws:states:::glue:startJobRun',
  'arn:aws:states:::glue:startJobRun.sync',
  'arn:aws:states:::databrew:startJobRun',
  'arn:aws:states:::databrew:startJobRun.sync',
  'arn:aws:states:::sagemaker:createTrainingJob',
  'arn:aws:states:::sagemaker:createTrainingJob.sync',
  'arn:aws:states:::sagemaker:createTransformJob',
  'arn:aws:states:::sagemaker:createTransformJob.sync',
  'arn:aws:states:::sagemaker:createProcessingJob',
  'arn:aws:states:::sagemaker:createProcessingJob.sync',
  'arn:aws:states:::sagemaker:createHyperParameterTuningJob',
  'arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync',
  'arn:aws:states:::sagemaker:createLabelingJob',
  'arn:aws:states:::sagemaker:createLabelingJob.sync',
  'arn:aws:states:::sagemaker:createEndpoint',
  'arn:aws:states:::sagemaker:createEndpointConfig',
  'arn:aws:states:::sagemaker:createModel',
  'arn:aws:states:::sagemaker:updateEndpoint',
  'arn:aws:states:::elasticmapreduce:createCluster',
  'arn:aws:states:::elasticmapreduce:createCluster.sync',
  'arn:aws:states:::elasticmapreduce:addStep',
  'arn:aws:states:::elasticmapreduce:addStep.sync',
  'arn:aws:states:::elasticmapreduce:cancelStep',
  'arn:aws:states:::elasticmapreduce:setClusterTerminationProtection',
  'arn:aws:states:::elasticmapreduce:terminateCluster',
  'arn:aws:states:::elasticmapreduce:terminateCluster.sync',
  'arn:aws:states:::elasticmapreduce:modifyInstanceFleetByName',
  'arn:aws:states:::elasticmapreduce:modifyInstanceGroupByName',
  'arn:aws:states:::emr-containers:createVirtualCluster',
  'arn:aws:states:::emr-containers:deleteVirtualCluster',
  'arn:aws:states:::emr-containers:deleteVirtualCluster.sync',
  'arn:aws:states:::emr-containers:startJobRun',
  'arn:aws:states:::emr-containers:startJobRun.sync',
  'arn:aws:states:::emr-serverless:createApplication',
  'arn:aws:states:::emr-serverless:createApplication.sync',
  'arn:aws:states:::emr-serverless:startApplication',
  'arn:aws:states:::emr-serverless:startApplication.sync',
  'arn:aws:states:::emr-serverless:stopApplication',
  'arn:aws:states:::emr-serverless:stopApplication.sync',
  'arn:aws:states:::emr-serverless:deleteApplication',
  'arn:aws:states:::emr-serverless:deleteApplication.sync',
  'arn:aws:states:::emr-serverless:startJobRun',
  'arn:aws:states:::emr-serverless:startJobRun.sync',
  'arn:aws:states:::emr-serverless:cancelJobRun',
  'arn:aws:states:::emr-serverless:cancelJobRun.sync',
  'arn:aws:states:::codebuild:startBuild',
  'arn:aws:states:::codebuild:startBuild.sync',
  'arn:aws:states:::codebuild:stopBuild',
  'arn:aws:states:::codebuild:batchDeleteBuilds',
  'arn:aws:states:::codebuild:batchGetReports',
  'arn:aws:states:::codebuild:startBuildBatch',
  'arn:aws:states:::codebuild:startBuildBatch.sync',
  'arn:aws:states:::codebuild:stopBuildBatch',
  'arn:aws:states:::codebuild:retryBuildBatch',
  'arn:aws:states:::codebuild:retryBuildBatch.sync',
  'arn:aws:states:::codebuild:deleteBuildBatch',
  'arn:aws:states:::athena:startQueryExecution',
  'arn:aws:states:::athena:startQueryExecution.sync',
  'arn:aws:states:::athena:stopQueryExecution',
  'arn:aws:states:::athena:getQueryExecution',
  'arn:aws:states:::athena:getQueryResults',
  'arn:aws:states:::apigateway:invoke',
  'arn:aws:states:::apigateway:invoke.waitForTaskToken',
  'arn:aws:states:::events:putEvents',
  'arn:aws:states:::events:putEvents.waitForTaskToken',
  'arn:aws:states:::states:startExecution',
  'arn:aws:states:::states:startExecution.waitForTaskToken',
  'arn:aws:states:::states:startExecution.sync',
  'arn:aws:states:::states:startExecution.sync:2',
  'arn:aws:states:::bedrock:invokeModel',
  'arn:aws:states:::bedrock:createModelCustomizationJob',
  'arn:aws:states:::bedrock:createModelCustomizationJob.sync',
  'arn:aws:states:::bedrockagentcore:invokeHarness',
  'arn:aws:states:::mediaconvert:createJob',
  'arn:aws:states:::mediaconvert:createJob.sync',
  'arn:aws:states:::eks:createCluster',
  'arn:aws:states:::eks:createCluster.sync',
  'arn:aws:states:::eks:deleteCluster',
  'arn:aws:states:::eks:deleteCluster.sync',
  'arn:aws:states:::eks:createNodegroup',
  'arn:aws:states:::eks:createNodegroup.sync',
  'arn:aws:states:::eks:deleteNodegroup',
  'arn:aws:states:::eks:deleteNodegroup.sync',
  'arn:aws:states:::eks:createFargateProfile',
  'arn:aws:states:::eks:createFargateProfile.sync',
  'arn:aws:states:::eks:deleteFargateProfile',
  'arn:aws:states:::eks:deleteFargateProfile.sync',
  'arn:aws:states:::eks:runJob',
  'arn:aws:states:::eks:runJob.sync',
  'arn:aws:states:::eks:call',
  'arn:aws:states:::http:invoke',
  'arn:aws:states:::aws-sdk:scheduler:createSchedule',
];

const task = (resource: string) => ({
  StartAt: 'Task',
  States: { Task: { Type: 'Task', Resource: resource, Parameters: {}, End: true } },
});

describe('integration ARNs AWS lists', () => {
  it.each(AWS_LISTED)('%s resolves to a row', (resource) => {
    const suffix = /(\.sync(?::2)?|\.waitForTaskToken)$/.exec(resource)?.[1] ?? '';
    const rest = resource.replace('arn:aws:states:::', '');
    const integration = suffix === '' ? rest : rest.slice(0, -suffix.length);
    expect(findIntegration(integration, suffix)).toBeDefined();
  });

  it.each([
    'arn:aws:lambda:us-east-1:123456789012:function:resize',
    'arn:aws:lambda:us-east-1:123456789012:function:resize:live',
    'arn:aws:states:us-east-1:123456789012:activity:review',
    'arn:aws:states:::aws-sdk:s3:getObject',
    'arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken',
  ])('%s needs no table row and is modelled', (resource) => {
    expect(deriveNeeds(parseDefinition(task(resource)), CONTEXT).unmodeled).toEqual([]);
  });

  it('a pattern AWS does not document for an integration is reported with the reason', () => {
    const { unmodeled } = deriveNeeds(parseDefinition(task('arn:aws:states:::dynamodb:getItem.sync')), CONTEXT);
    expect(unmodeled).toEqual([
      {
        state: '$.States.Task',
        resource: 'arn:aws:states:::dynamodb:getItem.sync',
        reason:
          'Step Functions documents dynamodb:getItem without the .sync pattern, so dmap-guard has no policy for it',
      },
    ]);
  });
});

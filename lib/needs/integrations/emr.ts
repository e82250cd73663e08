// EMR, EMR on EKS and EMR Serverless.
import type { GrantSpec, IntegrationRow, PassRoleSpec } from './types';

const EMR = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html';
const EMR_EKS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-eks.html';
const EMR_SERVERLESS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html';
const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;
const polled = 'A .sync task polls the job and stops it when the execution stops.';

const cluster = arn('elasticmapreduce', 'cluster/{ClusterId}');
const onCluster = (actions: string[], why: string, tier?: GrantSpec['tier']): GrantSpec => ({
  actions,
  resources: [cluster],
  why,
  ...(tier ? { tier } : {}),
});
const emrRoles: PassRoleSpec[] = [
  { field: 'ServiceRole', service: 'elasticmapreduce.amazonaws.com' },
  { field: 'JobFlowRole', service: 'elasticmapreduce.amazonaws.com', instanceProfile: true },
  { field: 'AutoScalingRole', service: 'elasticmapreduce.amazonaws.com' },
];
const runJobFlow: GrantSpec[] = [
  { actions: ['elasticmapreduce:RunJobFlow'], resources: ['*'], why: 'The task creates an EMR cluster.' },
  {
    actions: ['elasticmapreduce:AddTags'],
    resources: [arn('elasticmapreduce', 'cluster/*')],
    when: 'Tags',
    tier: 'optional',
    why: 'Tags on the new cluster.',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [
      'arn:${Partition}:iam::${Account}:role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*',
    ],
    tier: 'optional',
    why: 'EMR creates its clean-up service-linked role the first time it is used in the account.',
  },
];
const manageCluster = (tier?: GrantSpec['tier']): GrantSpec => ({
  actions: ['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows'],
  resources: [arn('elasticmapreduce', 'cluster/*')],
  why: polled,
  ...(tier ? { tier } : {}),
});
const stepRole: PassRoleSpec[] = [{ field: 'ExecutionRoleArn', service: 'elasticmapreduce.amazonaws.com' }];

const virtualCluster = (field: string) => arn('emr-containers', `/virtualclusters/{${field}}`);
const startContainersJob: GrantSpec = {
  actions: ['emr-containers:StartJobRun'],
  resources: [virtualCluster('VirtualClusterId')],
  context: { 'emr-containers:ExecutionRoleArn': '{ExecutionRoleArn}' },
  why: 'The task starts a job on this virtual cluster; the job role is authorised through the emr-containers:ExecutionRoleArn condition instead of iam:PassRole.',
};

const application = arn('emr-serverless', '/applications/{ApplicationId}');
const serverlessRule = 'StepFunctionsGetEventsForEMRServerlessApplicationRule';
const serverlessJobRule = 'StepFunctionsGetEventsForEMRServerlessJobRule';
const serverless = (api: string, action: string, why: string, sync: string[]): IntegrationRow[] => [
  {
    integration: `emr-serverless:${api}`,
    pattern: 'request-response',
    grants: [{ actions: [action], resources: [application], why }],
    docs: EMR_SERVERLESS,
  },
  {
    integration: `emr-serverless:${api}`,
    pattern: 'sync',
    grants: [
      { actions: [action], resources: [application], why },
      { actions: sync, resources: [application], why: polled },
    ],
    rule: serverlessRule,
    docs: EMR_SERVERLESS,
  },
];
const createApplication: GrantSpec[] = [
  {
    actions: ['emr-serverless:CreateApplication'],
    resources: [arn('emr-serverless', '/*')],
    why: 'The task creates an EMR Serverless application.',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    resources: [
      'arn:${Partition}:iam::${Account}:role/aws-service-role/ops.emr-serverless.amazonaws.com/AWSServiceRoleForAmazonEMRServerless*',
    ],
    tier: 'optional',
    why: 'EMR Serverless creates its service-linked role the first time it is used in the account.',
  },
];
const jobRuns = arn('emr-serverless', '/applications/{ApplicationId}/jobruns/*');
const jobRun = arn('emr-serverless', '/applications/{ApplicationId}/jobruns/{JobRunId}');
const serverlessRole: PassRoleSpec[] = [{ field: 'ExecutionRoleArn', service: 'emr-serverless.amazonaws.com' }];
const startServerlessJob: GrantSpec = {
  actions: ['emr-serverless:StartJobRun'],
  resources: [application],
  why: 'The task starts a job run on this application.',
};

export const EMR_ROWS: IntegrationRow[] = [
  {
    integration: 'elasticmapreduce:createCluster',
    pattern: 'request-response',
    grants: [...runJobFlow, manageCluster('recommended')],
    passRoles: emrRoles,
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:createCluster',
    pattern: 'sync',
    grants: [...runJobFlow, manageCluster()],
    passRoles: emrRoles,
    rule: 'StepFunctionsGetEventForEMRRunJobFlowRule',
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:addStep',
    pattern: 'request-response',
    grants: [
      onCluster(['elasticmapreduce:AddJobFlowSteps'], 'The task adds a step to this cluster.'),
      onCluster(['elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps'], polled, 'recommended'),
    ],
    passRoles: stepRole,
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:addStep',
    pattern: 'sync',
    grants: [
      onCluster(['elasticmapreduce:AddJobFlowSteps'], 'The task adds a step to this cluster.'),
      onCluster(['elasticmapreduce:DescribeStep', 'elasticmapreduce:CancelSteps'], polled),
    ],
    passRoles: stepRole,
    rule: 'StepFunctionsGetEventForEMRAddJobFlowStepsRule',
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:cancelStep',
    pattern: 'request-response',
    grants: [onCluster(['elasticmapreduce:CancelSteps'], 'The task cancels a step of this cluster.')],
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:setClusterTerminationProtection',
    pattern: 'request-response',
    grants: [
      onCluster(['elasticmapreduce:SetTerminationProtection'], 'The task sets termination protection of this cluster.'),
    ],
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:terminateCluster',
    pattern: 'request-response',
    grants: [
      onCluster(['elasticmapreduce:TerminateJobFlows'], 'The task terminates this cluster.'),
      onCluster(['elasticmapreduce:DescribeCluster'], polled, 'recommended'),
    ],
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:terminateCluster',
    pattern: 'sync',
    grants: [
      onCluster(['elasticmapreduce:TerminateJobFlows'], 'The task terminates this cluster.'),
      onCluster(['elasticmapreduce:DescribeCluster'], polled),
    ],
    rule: 'StepFunctionsGetEventForEMRTerminateJobFlowsRule',
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:modifyInstanceFleetByName',
    pattern: 'request-response',
    grants: [
      onCluster(
        ['elasticmapreduce:ModifyInstanceFleet', 'elasticmapreduce:ListInstanceFleets'],
        'The task resizes an instance fleet of this cluster.',
      ),
    ],
    docs: EMR,
  },
  {
    integration: 'elasticmapreduce:modifyInstanceGroupByName',
    pattern: 'request-response',
    grants: [
      onCluster(
        ['elasticmapreduce:ModifyInstanceGroups', 'elasticmapreduce:ListInstanceGroups'],
        'The task resizes an instance group of this cluster.',
      ),
    ],
    docs: EMR,
  },
  {
    integration: 'emr-containers:createVirtualCluster',
    pattern: 'request-response',
    grants: [
      {
        actions: ['emr-containers:CreateVirtualCluster'],
        resources: ['*'],
        why: 'The task creates an EMR on EKS virtual cluster.',
      },
      {
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [
          'arn:${Partition}:iam::${Account}:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers',
        ],
        tier: 'optional',
        why: 'EMR on EKS creates its service-linked role the first time it is used in the account.',
      },
    ],
    docs: EMR_EKS,
  },
  {
    integration: 'emr-containers:deleteVirtualCluster',
    pattern: 'request-response',
    grants: [
      {
        actions: ['emr-containers:DeleteVirtualCluster'],
        resources: [virtualCluster('Id')],
        why: 'The task deletes this virtual cluster.',
      },
    ],
    docs: EMR_EKS,
  },
  {
    integration: 'emr-containers:deleteVirtualCluster',
    pattern: 'sync',
    grants: [
      {
        actions: ['emr-containers:DeleteVirtualCluster'],
        resources: [virtualCluster('Id')],
        why: 'The task deletes this virtual cluster.',
      },
      { actions: ['emr-containers:DescribeVirtualCluster'], resources: [virtualCluster('Id')], why: polled },
    ],
    docs: EMR_EKS,
  },
  {
    integration: 'emr-containers:startJobRun',
    pattern: 'request-response',
    grants: [startContainersJob],
    docs: EMR_EKS,
  },
  {
    integration: 'emr-containers:startJobRun',
    pattern: 'sync',
    grants: [
      startContainersJob,
      {
        actions: ['emr-containers:DescribeJobRun', 'emr-containers:CancelJobRun'],
        resources: [arn('emr-containers', '/virtualclusters/{VirtualClusterId}/jobruns/*')],
        why: polled,
      },
    ],
    docs: EMR_EKS,
  },
  {
    integration: 'emr-serverless:createApplication',
    pattern: 'request-response',
    grants: createApplication,
    docs: EMR_SERVERLESS,
  },
  {
    integration: 'emr-serverless:createApplication',
    pattern: 'sync',
    grants: [
      ...createApplication,
      {
        actions: ['emr-serverless:GetApplication', 'emr-serverless:DeleteApplication'],
        resources: [arn('emr-serverless', '/applications/*')],
        why: polled,
      },
    ],
    rule: serverlessRule,
    docs: EMR_SERVERLESS,
  },
  ...serverless('startApplication', 'emr-serverless:StartApplication', 'The task starts this application.', [
    'emr-serverless:GetApplication',
    'emr-serverless:StopApplication',
  ]),
  ...serverless('stopApplication', 'emr-serverless:StopApplication', 'The task stops this application.', [
    'emr-serverless:GetApplication',
  ]),
  ...serverless('deleteApplication', 'emr-serverless:DeleteApplication', 'The task deletes this application.', [
    'emr-serverless:GetApplication',
  ]),
  {
    integration: 'emr-serverless:startJobRun',
    pattern: 'request-response',
    grants: [startServerlessJob],
    passRoles: serverlessRole,
    docs: EMR_SERVERLESS,
  },
  {
    integration: 'emr-serverless:startJobRun',
    pattern: 'sync',
    grants: [
      startServerlessJob,
      { actions: ['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun'], resources: [jobRuns], why: polled },
    ],
    passRoles: serverlessRole,
    rule: serverlessJobRule,
    docs: EMR_SERVERLESS,
  },
  {
    integration: 'emr-serverless:cancelJobRun',
    pattern: 'request-response',
    grants: [{ actions: ['emr-serverless:CancelJobRun'], resources: [jobRun], why: 'The task cancels this job run.' }],
    docs: EMR_SERVERLESS,
  },
  {
    integration: 'emr-serverless:cancelJobRun',
    pattern: 'sync',
    grants: [
      { actions: ['emr-serverless:CancelJobRun'], resources: [jobRun], why: 'The task cancels this job run.' },
      { actions: ['emr-serverless:GetJobRun'], resources: [jobRun], why: polled },
    ],
    rule: serverlessJobRule,
    docs: EMR_SERVERLESS,
  },
];

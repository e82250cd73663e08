// Batch, ECS/Fargate and EKS.
import type { GrantSpec, IntegrationRow, PassRoleSpec } from './types';

const BATCH = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html';
const ECS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html';
const EKS = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html';
const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;
const polled = 'A .sync task polls the job and stops it when the execution stops.';

const submitJob: GrantSpec = {
  actions: ['batch:SubmitJob'],
  resources: [arn('batch', 'job-definition/{JobDefinition|revisioned}'), arn('batch', 'job-queue/{JobQueue|arn}')],
  why: 'The task submits a Batch job to this queue with this job definition.',
};

const runTask: GrantSpec = {
  actions: ['ecs:RunTask'],
  resources: ['{TaskDefinition|taskDefinition}'],
  why: 'The task runs this ECS task definition.',
};
const tagTask: GrantSpec = {
  actions: ['ecs:TagResource'],
  resources: [arn('ecs', 'task/{Cluster|name}/*')],
  when: 'Tags',
  tier: 'optional',
  why: 'Tagging a task on creation is authorised as ecs:TagResource.',
};
const ecsRoles: PassRoleSpec[] = [
  { field: 'Overrides.TaskRoleArn', service: 'ecs-tasks.amazonaws.com' },
  { field: 'Overrides.ExecutionRoleArn', service: 'ecs-tasks.amazonaws.com' },
  {
    field: 'TaskDefinition',
    service: 'ecs-tasks.amazonaws.com',
    hidden: 'the task role and execution role of {}, if it names any (the definition does not show them)',
    overriddenBy: ['Overrides.TaskRoleArn', 'Overrides.ExecutionRoleArn'],
  },
];

const eksServiceLinkedRole: GrantSpec = {
  actions: ['iam:CreateServiceLinkedRole'],
  resources: ['arn:${Partition}:iam::${Account}:role/aws-service-role/eks*.amazonaws.com/AWSServiceRoleForAmazonEKS*'],
  tier: 'optional',
  why: 'EKS creates its service-linked role the first time it is used in the account.',
};
const eksRbac =
  'the call goes to the Kubernetes API of the cluster and is authorised by Kubernetes RBAC for the execution role (access entries or aws-auth), which dmap-guard cannot read';

function eksPair(
  api: string,
  grants: GrantSpec[],
  sync: GrantSpec[],
  passRoles: PassRoleSpec[] = [],
): IntegrationRow[] {
  const recommended = sync.map((g) => ({ ...g, tier: 'recommended' as const }));
  return [
    {
      integration: `eks:${api}`,
      pattern: 'request-response',
      grants: [...grants, ...recommended],
      passRoles,
      docs: EKS,
    },
    { integration: `eks:${api}`, pattern: 'sync', grants: [...grants, ...sync], passRoles, docs: EKS },
  ];
}

const cluster = arn('eks', 'cluster/{Name}');
const nodegroup = arn('eks', 'nodegroup/{ClusterName}/{NodegroupName}/*');
const fargateProfile = arn('eks', 'fargateprofile/{ClusterName}/{FargateProfileName}/*');

export const COMPUTE: IntegrationRow[] = [
  { integration: 'batch:submitJob', pattern: 'request-response', grants: [submitJob], docs: BATCH },
  {
    integration: 'batch:submitJob',
    pattern: 'sync',
    grants: [
      submitJob,
      { actions: ['batch:DescribeJobs'], resources: ['*'], why: polled },
      { actions: ['batch:TerminateJob'], resources: [arn('batch', 'job/*')], why: polled },
    ],
    rule: 'StepFunctionsGetEventsForBatchJobsRule',
    docs: BATCH,
  },
  {
    integration: 'ecs:runTask',
    pattern: 'request-response',
    grants: [runTask, tagTask],
    passRoles: ecsRoles,
    defaults: { Cluster: 'default' },
    docs: ECS,
  },
  {
    integration: 'ecs:runTask',
    pattern: 'waitForTaskToken',
    grants: [runTask, tagTask],
    passRoles: ecsRoles,
    defaults: { Cluster: 'default' },
    docs: ECS,
  },
  {
    integration: 'ecs:runTask',
    pattern: 'sync',
    grants: [
      runTask,
      tagTask,
      { actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resources: [arn('ecs', 'task/{Cluster|name}/*')], why: polled },
    ],
    passRoles: ecsRoles,
    defaults: { Cluster: 'default' },
    rule: 'StepFunctionsGetEventsForECSTaskRule',
    docs: ECS,
  },
  ...eksPair(
    'createCluster',
    [
      { actions: ['eks:CreateCluster'], resources: ['*'], why: 'The task creates an EKS cluster.' },
      eksServiceLinkedRole,
    ],
    [{ actions: ['eks:DescribeCluster', 'eks:DeleteCluster'], resources: [arn('eks', 'cluster/{Name}')], why: polled }],
    [{ field: 'RoleArn', service: 'eks.amazonaws.com' }],
  ),
  ...eksPair(
    'deleteCluster',
    [{ actions: ['eks:DeleteCluster'], resources: [cluster], why: 'The task deletes this EKS cluster.' }],
    [{ actions: ['eks:DescribeCluster'], resources: [cluster], why: polled }],
  ),
  ...eksPair(
    'createNodegroup',
    [
      {
        actions: ['eks:CreateNodegroup'],
        resources: [arn('eks', 'cluster/{ClusterName}')],
        why: 'The task adds a node group to this cluster.',
      },
      { actions: ['ec2:DescribeSubnets'], resources: ['*'], why: 'EKS checks the node group subnets as the caller.' },
      {
        actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies'],
        resources: ['{NodeRole|role}'],
        why: 'EKS checks the node role as the caller.',
      },
      eksServiceLinkedRole,
    ],
    [
      {
        actions: ['eks:DescribeNodegroup', 'eks:DeleteNodegroup'],
        resources: [arn('eks', 'nodegroup/{ClusterName}/{NodegroupName}/*')],
        why: polled,
      },
    ],
    [{ field: 'NodeRole', service: 'eks.amazonaws.com' }],
  ),
  ...eksPair(
    'deleteNodegroup',
    [{ actions: ['eks:DeleteNodegroup'], resources: [nodegroup], why: 'The task deletes this node group.' }],
    [{ actions: ['eks:DescribeNodegroup'], resources: [nodegroup], why: polled }],
  ),
  ...eksPair(
    'createFargateProfile',
    [
      {
        actions: ['eks:CreateFargateProfile'],
        resources: [arn('eks', 'cluster/{ClusterName}')],
        why: 'The task adds a Fargate profile to this cluster.',
      },
      eksServiceLinkedRole,
    ],
    [{ actions: ['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'], resources: [fargateProfile], why: polled }],
    [{ field: 'PodExecutionRoleArn', service: 'eks.amazonaws.com' }],
  ),
  ...eksPair(
    'deleteFargateProfile',
    [
      {
        actions: ['eks:DeleteFargateProfile'],
        resources: [fargateProfile],
        why: 'The task deletes this Fargate profile.',
      },
    ],
    [{ actions: ['eks:DescribeFargateProfile'], resources: [fargateProfile], why: polled }],
  ),
  { integration: 'eks:runJob', pattern: 'request-response', grants: [], unverifiable: eksRbac, docs: EKS },
  { integration: 'eks:runJob', pattern: 'sync', grants: [], unverifiable: eksRbac, docs: EKS },
  { integration: 'eks:call', pattern: 'request-response', grants: [], unverifiable: eksRbac, docs: EKS },
];

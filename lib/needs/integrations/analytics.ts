// Glue, Glue DataBrew, Athena and CodeBuild.
import type { GrantSpec, IntegrationRow } from './types';

const GLUE = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html';
const DATABREW = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-databrew.html';
const ATHENA = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html';
const CODEBUILD = 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html';
const arn = (service: string, resource: string) => `arn:\${Partition}:${service}:\${Region}:\${Account}:${resource}`;
const polled = 'A .sync task polls the job and stops it when the execution stops.';

const glueJob = arn('glue', 'job/{JobName}');
const databrewJob = arn('databrew', 'job/{Name}');
const project = (field: string) => arn('codebuild', `project/{${field}|project}`);

const workGroup = arn('athena', 'workgroup/{WorkGroup}');
const queryData =
  'the tables the query reads, their S3 locations and the query result location, which dmap-guard cannot read from the SQL';
/** Glue Data Catalog actions on databases, and on tables (which also check their database and the catalog). */
function catalogGrants(
  databaseActions: string[],
  tableActions: string[],
  tier: GrantSpec['tier'],
  why: string,
): GrantSpec[] {
  const catalog = [arn('glue', 'catalog'), arn('glue', 'database/*')];
  return [
    { actions: databaseActions, resources: catalog, runtime: queryData, why, ...(tier ? { tier } : {}) },
    {
      actions: tableActions,
      resources: [...catalog, arn('glue', 'table/*')],
      runtime: queryData,
      why,
      ...(tier ? { tier } : {}),
    },
  ];
}
/** Athena reads the queried data and writes results with the caller's permissions (connect-athena, Athena s3-permissions). */
const athenaData: GrantSpec[] = [
  {
    actions: ['athena:GetDataCatalog'],
    resources: [arn('athena', 'datacatalog/{QueryExecutionContext.Catalog}')],
    why: 'Athena reads the data catalog the query uses.',
  },
  {
    actions: [
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:ListMultipartUploadParts',
      's3:AbortMultipartUpload',
      's3:PutObject',
    ],
    resources: ['arn:${Partition}:s3:::*'],
    runtime: queryData,
    why: "Athena reads the queried data and writes the results to S3 with the caller's permissions.",
  },
  ...catalogGrants(
    ['glue:GetDatabase', 'glue:GetDatabases'],
    ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    'required',
    'Athena reads database and table definitions from the Glue Data Catalog as the caller.',
  ),
  ...catalogGrants(
    ['glue:CreateDatabase', 'glue:UpdateDatabase', 'glue:DeleteDatabase'],
    [
      'glue:CreateTable',
      'glue:UpdateTable',
      'glue:DeleteTable',
      'glue:BatchDeleteTable',
      'glue:BatchCreatePartition',
      'glue:CreatePartition',
      'glue:UpdatePartition',
      'glue:DeletePartition',
      'glue:BatchDeletePartition',
    ],
    'optional',
    'DDL, CTAS, INSERT and MSCK queries change the Glue Data Catalog as the caller.',
  ),
  {
    actions: ['lakeformation:GetDataAccess'],
    resources: ['*'],
    why: 'Lake Formation vends data access for governed tables.',
    tier: 'optional',
  },
];
const athenaDefaults = { WorkGroup: 'primary', 'QueryExecutionContext.Catalog': 'AwsDataCatalog' };
const athenaReads = 'the queried tables and the result location (run-time; the SQL names them)';

const codebuild = (api: string, action: string, field: string, why: string): IntegrationRow => ({
  integration: `codebuild:${api}`,
  pattern: 'request-response',
  grants: [{ actions: [action], resources: [project(field)], why }],
  docs: CODEBUILD,
});

export const ANALYTICS: IntegrationRow[] = [
  {
    integration: 'glue:startJobRun',
    pattern: 'request-response',
    grants: [{ actions: ['glue:StartJobRun'], resources: [glueJob], why: 'The task starts a run of this Glue job.' }],
    docs: GLUE,
  },
  {
    integration: 'glue:startJobRun',
    pattern: 'sync',
    grants: [
      { actions: ['glue:StartJobRun'], resources: [glueJob], why: 'The task starts a run of this Glue job.' },
      { actions: ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'], resources: [glueJob], why: polled },
    ],
    docs: GLUE,
  },
  {
    integration: 'databrew:startJobRun',
    pattern: 'request-response',
    grants: [
      {
        actions: ['databrew:StartJobRun'],
        resources: [databrewJob],
        why: 'The task starts a run of this DataBrew job.',
      },
    ],
    docs: DATABREW,
  },
  {
    integration: 'databrew:startJobRun',
    pattern: 'sync',
    grants: [
      {
        actions: ['databrew:StartJobRun'],
        resources: [databrewJob],
        why: 'The task starts a run of this DataBrew job.',
      },
      { actions: ['databrew:ListJobRuns', 'databrew:StopJobRun'], resources: [databrewJob], why: polled },
    ],
    docs: DATABREW,
  },
  {
    integration: 'athena:startQueryExecution',
    pattern: 'request-response',
    grants: [
      {
        actions: ['athena:StartQueryExecution'],
        resources: [workGroup],
        why: 'The task starts a query in this workgroup.',
      },
      ...athenaData,
    ],
    defaults: athenaDefaults,
    readsS3: athenaReads,
    docs: ATHENA,
  },
  {
    integration: 'athena:startQueryExecution',
    pattern: 'sync',
    grants: [
      {
        actions: ['athena:StartQueryExecution'],
        resources: [workGroup],
        why: 'The task starts a query in this workgroup.',
      },
      { actions: ['athena:StopQueryExecution', 'athena:GetQueryExecution'], resources: [workGroup], why: polled },
      ...athenaData,
    ],
    defaults: athenaDefaults,
    readsS3: athenaReads,
    docs: ATHENA,
  },
  {
    integration: 'athena:stopQueryExecution',
    pattern: 'request-response',
    grants: [
      {
        actions: ['athena:StopQueryExecution'],
        resources: [arn('athena', 'workgroup/*')],
        runtime: 'the workgroup of the query id',
        why: 'The task stops a query.',
      },
    ],
    docs: ATHENA,
  },
  {
    integration: 'athena:getQueryExecution',
    pattern: 'request-response',
    grants: [
      {
        actions: ['athena:GetQueryExecution'],
        resources: [arn('athena', 'workgroup/*')],
        runtime: 'the workgroup of the query id',
        why: 'The task reads a query execution.',
      },
    ],
    docs: ATHENA,
  },
  {
    integration: 'athena:getQueryResults',
    pattern: 'request-response',
    grants: [
      {
        actions: ['athena:GetQueryResults'],
        resources: [arn('athena', 'workgroup/*')],
        runtime: 'the workgroup of the query id',
        why: 'The task reads query results.',
      },
      {
        actions: ['s3:GetObject'],
        resources: ['arn:${Partition}:s3:::*'],
        runtime: 'the result location of the query',
        why: "Athena reads the results from S3 with the caller's permissions.",
      },
    ],
    readsS3: 'the query result objects (run-time)',
    docs: ATHENA,
  },
  codebuild('startBuild', 'codebuild:StartBuild', 'ProjectName', 'The task starts a build of this project.'),
  {
    integration: 'codebuild:startBuild',
    pattern: 'sync',
    grants: [
      {
        actions: ['codebuild:StartBuild'],
        resources: [project('ProjectName')],
        why: 'The task starts a build of this project.',
      },
      {
        actions: ['codebuild:StopBuild', 'codebuild:BatchGetBuilds'],
        resources: [project('ProjectName')],
        why: polled,
      },
      {
        actions: ['codebuild:BatchGetReports'],
        resources: [arn('codebuild', 'report-group/*')],
        tier: 'optional',
        why: 'Step Functions may read the reports of the build.',
      },
    ],
    rule: 'StepFunctionsGetEventForCodeBuildStartBuildRule',
    docs: CODEBUILD,
  },
  codebuild('stopBuild', 'codebuild:StopBuild', 'Id', 'The task stops a build of this project.'),
  codebuild('batchDeleteBuilds', 'codebuild:BatchDeleteBuilds', 'Ids', 'The task deletes builds of this project.'),
  {
    integration: 'codebuild:batchGetReports',
    pattern: 'request-response',
    grants: [
      {
        actions: ['codebuild:BatchGetReports'],
        resources: [arn('codebuild', 'report-group/{ReportArns|reportGroup}')],
        why: 'The task reads reports of this report group.',
      },
    ],
    docs: CODEBUILD,
  },
  codebuild(
    'startBuildBatch',
    'codebuild:StartBuildBatch',
    'ProjectName',
    'The task starts a batch build of this project.',
  ),
  {
    integration: 'codebuild:startBuildBatch',
    pattern: 'sync',
    grants: [
      {
        actions: ['codebuild:StartBuildBatch'],
        resources: [project('ProjectName')],
        why: 'The task starts a batch build of this project.',
      },
      {
        actions: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches'],
        resources: [project('ProjectName')],
        why: polled,
      },
    ],
    rule: 'StepFunctionsGetEventForCodeBuildStartBuildBatchRule',
    docs: CODEBUILD,
  },
  codebuild('stopBuildBatch', 'codebuild:StopBuildBatch', 'Id', 'The task stops a batch build of this project.'),
  codebuild('retryBuildBatch', 'codebuild:RetryBuildBatch', 'Id', 'The task retries a batch build of this project.'),
  {
    integration: 'codebuild:retryBuildBatch',
    pattern: 'sync',
    grants: [
      {
        actions: ['codebuild:RetryBuildBatch'],
        resources: [project('Id')],
        why: 'The task retries a batch build of this project.',
      },
      {
        actions: ['codebuild:StopBuildBatch', 'codebuild:BatchGetBuildBatches'],
        resources: [project('Id')],
        why: polled,
      },
    ],
    docs: CODEBUILD,
  },
  codebuild('deleteBuildBatch', 'codebuild:DeleteBuildBatch', 'Id', 'The task deletes a batch build of this project.'),
];

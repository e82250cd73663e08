import { unmodeledIntegration } from '../../../lib/checks/rules/unmodeled-integration';
import { ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, distributedMap } from '../machines';

// Each integration has its own IAM policy: https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html
const task = (Resource: string, extra: Record<string, unknown> = {}) => ({
  StartAt: 'Task',
  States: { Task: { Type: 'Task', Resource, End: true, ...extra } },
});
const GLUE = 'arn:aws:states:::glue:startJobRun.sync';

ruleTester(unmodeledIntegration).run('unmodeled-integration', {
  valid: [
    { name: 'a Distributed Map of Pass states', machine: { definition: distributedMap(), policies: [DMAP_POLICY] } },
    {
      name: 'a Lambda invoke (modeled)',
      machine: { definition: task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'resize' } }) },
    },
    {
      name: 'an AWS SDK integration (modeled from the action name)',
      machine: { definition: task('arn:aws:states:::aws-sdk:s3:listBuckets') },
    },
    { name: 'an inline Map', machine: { definition: INLINE_MAP } },
  ],
  invalid: [
    {
      name: 'a Glue job run',
      machine: { definition: task(GLUE) },
      errors: [
        {
          messageId: 'notModeled',
          state: '$.States.Task',
          resources: [GLUE],
          message: `dmap-guard does not know the permissions of ${GLUE}; they were not checked.`,
        },
      ],
    },
    {
      name: 'an unmodeled task inside a Distributed Map',
      machine: {
        definition: distributedMap({
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Job',
            States: { Job: { Type: 'Task', Resource: GLUE, End: true } },
          },
        }),
        policies: [DMAP_POLICY],
      },
      errors: [{ messageId: 'notModeled', state: '$.States.Map.ItemProcessor.States.Job', resources: [GLUE] }],
    },
    {
      name: 'two unmodeled tasks, in definition order',
      machine: {
        definition: {
          StartAt: 'A',
          States: {
            A: { Type: 'Task', Resource: GLUE, Next: 'B' },
            B: { Type: 'Task', Resource: 'arn:aws:states:::emr-containers:startJobRun', End: true },
          },
        },
      },
      errors: [
        { messageId: 'notModeled', state: '$.States.A', resources: [GLUE] },
        {
          messageId: 'notModeled',
          state: '$.States.B',
          resources: ['arn:aws:states:::emr-containers:startJobRun'],
        },
      ],
    },
  ],
});

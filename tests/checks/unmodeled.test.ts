// Tasks whose permissions cannot be derived or checked are unverifiable (lib/checks/unmodeled.ts), never a pass.
import { unverifiable } from '../../lib/checks/rules/unverifiable';
import { ruleTester } from '../helpers/rule-tester';
import { DMAP_POLICY, INLINE_MAP, distributedMap } from './machines';

// Each integration has its own IAM policy: https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html
const task = (Resource: string, extra: Record<string, unknown> = {}) => ({
  StartAt: 'Task',
  States: { Task: { Type: 'Task', Resource, End: true, ...extra } },
});
// EKS calls are authorised by Kubernetes RBAC, not the execution role; the second integration does not exist.
const EKS = 'arn:aws:states:::eks:call';
const UNKNOWN = 'arn:aws:states:::madeup:doThing';

ruleTester(unverifiable).run('unverifiable (unmodeled tasks)', {
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
    {
      name: 'a Glue job run (modeled from the integration table)',
      machine: { definition: task('arn:aws:states:::glue:startJobRun.sync', { Parameters: { JobName: 'etl' } }) },
    },
  ],
  invalid: [
    {
      name: 'an EKS call',
      machine: { definition: task(EKS) },
      errors: [
        {
          messageId: 'notChecked',
          state: '$.States.Task',
          resources: [EKS],
          message: /^arn:aws:states:::eks:call is not checked: /,
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
            States: { Job: { Type: 'Task', Resource: UNKNOWN, End: true } },
          },
        }),
        policies: [DMAP_POLICY],
      },
      errors: [{ messageId: 'notChecked', state: '$.States.Map.ItemProcessor.States.Job', resources: [UNKNOWN] }],
    },
    {
      name: 'two unmodeled tasks, in definition order',
      machine: {
        definition: {
          StartAt: 'A',
          States: {
            A: { Type: 'Task', Resource: EKS, Next: 'B' },
            B: { Type: 'Task', Resource: UNKNOWN, End: true },
          },
        },
      },
      errors: [
        { messageId: 'notChecked', state: '$.States.A', resources: [EKS] },
        { messageId: 'notChecked', state: '$.States.B', resources: [UNKNOWN] },
      ],
    },
  ],
});

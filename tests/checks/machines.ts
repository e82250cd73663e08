// Definitions and policies the per-rule tests share: one Distributed Map reading in-bucket/items.json, and the
// execution role statements it needs (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
import { EXECUTIONS_ARN, MACHINE_ARN, MACHINE_NAME, allow } from '../helpers/rule-tester';

export const ITEMS = 'arn:aws:s3:::in-bucket/items.json';
export const REDRIVE_ARN = `arn:aws:states:us-east-1:123456789012:execution:${MACHINE_NAME}/*:*`;

/** A Distributed Map whose ItemReader reads in-bucket/items.json; `map` overrides or adds fields of the Map state. */
export function distributedMap(map: Record<string, unknown> = {}): unknown {
  return {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: 'in-bucket', Key: 'items.json' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Pass',
          States: { Pass: { Type: 'Pass', End: true } },
        },
        End: true,
        ...map,
      },
    },
  };
}

/** An inline Map: no child executions, no ItemReader, so no IAM needs. */
export const INLINE_MAP = {
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Pass',
        States: { Pass: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
};

/** Statements for the required needs of `distributedMap()`. */
export const REQUIRED: Array<[string | string[], string | string[]]> = [
  ['states:StartExecution', MACHINE_ARN],
  ['s3:GetObject', ITEMS],
];
/** Statements for the recommended needs of `distributedMap()`. */
export const RECOMMENDED: Array<[string | string[], string | string[]]> = [
  ['states:DescribeExecution', EXECUTIONS_ARN],
  ['states:StopExecution', EXECUTIONS_ARN],
  ['states:RedriveExecution', REDRIVE_ARN],
];

/** Exactly what `distributedMap()` needs, required and recommended. */
export const DMAP_POLICY = allow(...REQUIRED, ...RECOMMENDED);

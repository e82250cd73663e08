// fast-check arbitraries for ASL definitions: Pass, Task and other states, and Distributed Maps with ItemReader,
// ResultWriter and ItemProcessor nesting further maps, with arbitrary and hostile state names.
import fc from 'fast-check';
import { ACCOUNT, HOSTILE_NAMES, LETTERS, LIMITS, arn, junk, name, withOwnKeys, word } from './arbitrary-values';

const stateName = fc.oneof(word(LETTERS, `${LETTERS} `, 0, 9), fc.constantFrom(...HOSTILE_NAMES));

const task = fc.record(
  {
    Type: fc.constant('Task'),
    Resource: fc.oneof(
      fc.constantFrom(
        'arn:aws:states:::lambda:invoke',
        'arn:aws:states:::states:startExecution.sync:2',
        'arn:aws:states:::s3:getObject',
        'arn:aws:states:::aws-sdk:s3:putObject',
        'arn:aws:states:::aws-sdk:dynamodb:getItem',
        `arn:aws:lambda:us-east-1:${ACCOUNT}:function:work`,
      ),
      fc.string({ maxLength: 30 }),
    ),
    Parameters: fc.dictionary(
      fc.oneof(fc.constantFrom('FunctionName', 'StateMachineArn', 'Bucket', 'Key', 'Bucket.$'), name),
      fc.oneof(arn, fc.constantFrom('$.bucket', '$$.Execution.Id', '{% $states.input.x %}'), junk),
      { maxKeys: 3 },
    ),
    Arguments: fc.oneof(fc.constant(undefined), fc.constant(undefined), fc.constant(undefined), junk),
    End: fc.constant(true),
  },
  { requiredKeys: ['Type', 'Resource', 'End'] },
);
const simple = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ Type: 'Pass', End: true }) },
  { weight: 1, arbitrary: fc.constant({ Type: 'Succeed' }) },
  { weight: 6, arbitrary: task },
  {
    weight: 1,
    arbitrary: fc.record({ Type: fc.constantFrom('Choice', 'Wait', 'Parallel', 'Fail', 'Bogus'), End: fc.boolean() }),
  },
);

/** A state: a simple one or a Distributed Map whose ItemProcessor nests maps up to `depth` more levels. */
const stateArbitraries = new Map<number, fc.Arbitrary<unknown>>();
function definitionState(depth: number): fc.Arbitrary<unknown> {
  const known = stateArbitraries.get(depth);
  if (known) return known;
  const map: fc.Arbitrary<unknown> =
    depth <= 0
      ? simple
      : fc.record(
          {
            Type: fc.constant('Map'),
            ItemReader: fc.record(
              {
                Resource: fc.constantFrom(
                  'arn:aws:states:::s3:listObjectsV2',
                  'arn:aws:states:::s3:getObject',
                  'arn:aws:states:::s3:getObject.sync',
                  'arn:aws:states:::bogus',
                ),
                Parameters: fc.record(
                  {
                    Bucket: fc.oneof(fc.constantFrom('orders-input', '${Bucket}', ''), junk),
                    Prefix: fc.string({ maxLength: 10 }),
                    Key: fc.string({ maxLength: 10 }),
                    'Bucket.$': fc.constant('$.bucket'),
                  },
                  { requiredKeys: [] },
                ),
                ReaderConfig: fc.record({ InputType: fc.constantFrom('CSV', 'JSON', 'MANIFEST', 'JSONL', 'x') }),
              },
              { requiredKeys: ['Resource'] },
            ),
            ResultWriter: fc.record({
              Resource: fc.constantFrom('arn:aws:states:::s3:putObject', 'x'),
              Parameters: fc.record({ Bucket: fc.oneof(fc.constant('orders-results'), junk), Prefix: fc.string() }),
            }),
            ItemProcessor: fc
              .tuple(
                fc.record({
                  Mode: fc.constantFrom('DISTRIBUTED', 'INLINE', 'x'),
                  ExecutionType: fc.constantFrom('STANDARD', 'EXPRESS', 'x'),
                }),
                states(definitionState(depth - 1)),
              )
              .map(([config, sub]) => ({ ProcessorConfig: config, ...sub })),
            MaxConcurrency: fc.oneof({ weight: 6, arbitrary: fc.nat(1000) }, { weight: 1, arbitrary: junk }),
            End: fc.constant(true),
          },
          { requiredKeys: ['Type', 'ItemProcessor', 'End'] },
        );
  const state = fc.oneof({ weight: 2, arbitrary: simple }, { weight: 1, arbitrary: map });
  stateArbitraries.set(depth, state);
  return state;
}

/** An ASL definition, its Distributed Maps nesting up to `depth` levels; now and then junk. */
export function definition(depth: number = LIMITS.mapDepth): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: states(definitionState(depth)) }, { weight: 1, arbitrary: junk });
}

/** StartAt (one of the states, or now and then another name) and States, the states drawn from `state`. */
function states(state: fc.Arbitrary<unknown>): fc.Arbitrary<{ StartAt: unknown; States: Record<string, unknown> }> {
  return fc
    .uniqueArray(fc.tuple(stateName, state), { minLength: 1, maxLength: LIMITS.states, selector: ([n]) => n })
    .chain((entries) =>
      fc
        .oneof(
          { weight: 30, arbitrary: fc.constantFrom(...entries.map(([n]) => n)) },
          { weight: 1, arbitrary: fc.oneof(stateName, junk) },
        )
        .map((start) => ({ StartAt: start, States: withOwnKeys(entries) })),
    );
}

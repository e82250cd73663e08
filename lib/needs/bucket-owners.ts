// Which account a Distributed Map's buckets are in, where the definition says (ItemReader ExpectedBucketOwner) or the
// resource policies know, and the features AWS supports only in the state machine's own account.
// ItemReader: "Step Functions only supports listing objects in Amazon S3 buckets that are in both the same AWS
// account and the same AWS Region as the state machine" (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
// ResultWriter: "Make sure that the Amazon S3 bucket you use to export the results of a Map Run is under the same AWS
// account and AWS Region as your state machine. Otherwise, your state machine execution will fail with the
// States.ResultWriterFailed error." (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html)
import { argumentsOf, isDistributedMap, isObject, type Definition } from '../asl/definition';
import type { StateMachineContext } from '../model/state-machine';
import { DOCS, type BucketUse, type DefinitionProblem } from './types';
import { readString } from './values';

export type { BucketUse };

/** The static buckets of every Distributed Map's ItemReader and ResultWriter. */
export function bucketUses(definition: Definition): BucketUse[] {
  const uses: BucketUse[] = [];
  for (const state of definition.states) {
    if (!isDistributedMap(state.body)) continue;
    for (const [field, holder] of [
      ['ItemReader', state.body.ItemReader],
      ['ResultWriter', state.body.ResultWriter],
    ] as const) {
      if (!isObject(holder) || typeof holder.Resource !== 'string') continue;
      const args = argumentsOf(holder, state.queryLanguage);
      const bucket = readString(args?.value, 'Bucket');
      if (!bucket || bucket.runtime) continue;
      const owner = readString(args?.value, 'ExpectedBucketOwner');
      const feature =
        field === 'ResultWriter'
          ? 'resultWriter'
          : holder.Resource.endsWith(':listObjectsV2')
            ? 'listing'
            : 'getObject';
      uses.push({
        bucket: bucket.value,
        ...(owner && !owner.runtime ? { owner: owner.value } : {}),
        feature,
        state: state.path,
        field: `${field}.${args?.field ?? 'Parameters'}.${owner && !owner.runtime ? 'ExpectedBucketOwner' : 'Bucket'}`,
      });
    }
  }
  return uses;
}

/**
 * Listing and ResultWriter buckets in another account than the state machine's: the Map Run fails. `accountOf`
 * knows the account of buckets the definition does not pin (template, resource-policies file).
 */
export function otherAccountProblems(
  uses: BucketUse[],
  ctx: StateMachineContext,
  accountOf: (bucket: string) => string | undefined,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const use of uses) {
    if (use.feature === 'getObject') continue;
    const owner = use.owner ?? accountOf(use.bucket);
    if (owner === undefined || owner === ctx.account) continue;
    problems.push({
      kind: 'bucket-in-other-account',
      state: use.state,
      field: use.field,
      message:
        use.feature === 'listing'
          ? `Bucket ${use.bucket} is in account ${owner}, not ${ctx.account}: Step Functions only supports listing objects in buckets in the same account and Region as the state machine (${DOCS.itemReader})`
          : `Bucket ${use.bucket} is in account ${owner}, not ${ctx.account}: the ResultWriter bucket must be in the same account and Region as the state machine, or the execution fails with States.ResultWriterFailed (${DOCS.resultWriter})`,
    });
  }
  return problems;
}

// Bucket keys given for buckets nothing reads or writes: --kms-key (policy), --bucket-key and the config's
// bucketKeys (check). Such a key changes no result, so it is most likely a typo; it gets a warning, never an exit code.
import { parseDefinition } from '../asl/definition';
import { compareCodeUnits } from '../model/compare';
import type { StateMachineModel } from '../model/state-machine';
import { deriveBaseNeeds } from '../needs';

/** At most this many bucket names are listed in one warning. */
const LISTED_BUCKETS = 10;

/** The warning for a key of `bucket` that no ItemReader or ResultWriter of `where` uses, naming the buckets they use. */
export function unusedBucketKeyWarning(source: string, bucket: string, where: string, used: readonly string[]): string {
  const listed = used.slice(0, LISTED_BUCKETS).join(', ') + (used.length > LISTED_BUCKETS ? ', …' : '');
  return (
    `warning: ${source} names bucket ${bucket}, which no ItemReader or ResultWriter of ${where} uses; its key is not used ` +
    (used.length > 0 ? `(buckets used: ${listed})` : '(none names a bucket before run time)')
  );
}

/**
 * The static bucket names the Distributed Maps of `machines` read or write (whose SSE-KMS key adds a need), or
 * undefined when a definition could not be read: a bucket could be used there, so no key is called unused.
 */
export function keyedBuckets(machines: readonly StateMachineModel[]): string[] | undefined {
  const buckets = new Set<string>();
  for (const machine of machines) {
    if (machine.definitionUnavailable !== undefined || machine.definition === undefined) return undefined;
    try {
      for (const bucket of deriveBaseNeeds(parseDefinition(machine.definition), machine.context).keyedBuckets)
        buckets.add(bucket);
    } catch {
      // The check reports the definition; which buckets it uses is not known.
      return undefined;
    }
  }
  return [...buckets].sort(compareCodeUnits);
}

/** Warnings for the keys of `sources` (bucket → where its key was given) that no Distributed Map of `machines` uses. */
export function unusedBucketKeyWarnings(
  sources: ReadonlyMap<string, string>,
  machines: readonly StateMachineModel[],
): string[] {
  if (sources.size === 0) return [];
  const used = keyedBuckets(machines);
  if (used === undefined) return [];
  return [...sources]
    .filter(([bucket]) => !used.includes(bucket))
    .map(([bucket, source]) => unusedBucketKeyWarning(source, bucket, 'the checked state machines', used));
}

// Bucket keys asked of the account while checking: a bucket whose encryption cannot be read is unverifiable
// for the machines being checked, not a failure of the whole check.
import type { BucketKeyLookup } from '../checks/analyze';
import type { StateMachineModel } from '../model/state-machine';
import { UnreadableError, type Backend } from '../ports/backend';

/** backend.bucketKey, with a refused read recorded on `machines` (and their roles' unknowns) instead of thrown. */
export function guardedBucketKey(backend: Backend, machines: StateMachineModel[]): BucketKeyLookup {
  return async (bucket) => {
    try {
      return await backend.bucketKey(bucket);
    } catch (error) {
      if (!(error instanceof UnreadableError)) throw error;
      for (const machine of machines) {
        machine.unverifiable.push({ subject: error.subject, reason: error.reason, remedy: error.remedy });
        // Until the unverifiable rule reports the entry, an unknown keeps the role from passing unproven.
        machine.role?.unknown.push(`the SSE-KMS key of bucket ${bucket} (${error.reason})`);
      }
      return undefined;
    }
  };
}

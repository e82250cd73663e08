// The lazy door to the AWS SDK: the SDK is most of the CLI's code, so it is loaded (dist/cli/sdk.cjs, a bundle of
// its own) only when a command calls AWS; `check`, `policy` and the offline `hook` start without it.
import type { AwsBackend } from './backend';
import type { ClientOptions } from './clients';

export async function loadAwsBackend(options: ClientOptions = {}, abortSignal?: AbortSignal): Promise<AwsBackend> {
  const [{ AwsBackend: Backend }, { createClients }] = await Promise.all([import('./backend'), import('./clients')]);
  return new Backend(createClients(options), abortSignal);
}

// The stack a hook or custom resource request comes from.

export interface StackContext {
  stackId: string;
  stackName: string;
  partition: string;
  region: string;
  account: string;
}

/** arn:aws:cloudformation:<region>:<account>:stack/<name>/<id> → its parts. */
export function parseStackId(stackId: string): StackContext | undefined {
  const match = /^arn:(aws[a-z-]*):cloudformation:([a-z0-9-]+):(\d{12}):stack\/([^/]+)\//.exec(stackId);
  if (!match) return undefined;
  const [, partition = 'aws', region = '', account = '', stackName = ''] = match;
  return { stackId, stackName, partition, region, account };
}

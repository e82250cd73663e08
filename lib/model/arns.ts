// ARN builders and readers for the resources a state machine touches.
import type { StateMachineContext } from './state-machine';
import { lastLineTerminator, trimTrailing } from './text';

/** Marker the template resolver leaves where a value cannot be known before deployment (Fn::ImportValue…). */
export const UNRESOLVED_MARKER = '{{dmap-guard:unresolved:';

export function isUnresolved(value: string): boolean {
  return value.includes(UNRESOLVED_MARKER);
}

/**
 * The first `{{dmap-guard:unresolved:…}}` marker in `text` with its parts, as
 * `/\{\{dmap-guard:unresolved:([^}]*)\}\}/.exec(text)` finds it: `[whole, inside]`.
 */
export function unresolvedMarkerIn(text: string): [string, string] | undefined {
  const marker = UNRESOLVED_MARKER;
  let from = 0;
  for (;;) {
    const index = text.indexOf(marker, from);
    if (index < 0) return undefined;
    const close = text.indexOf('}', index + marker.length);
    if (close < 0) return undefined;
    if (text[close + 1] === '}') return [text.slice(index, close + 2), text.slice(index + marker.length, close)];
    // Every marker starting before this `}` stops at it too.
    from = close + 1;
  }
}

/** Text for people: each unresolved marker becomes <what it stands for>. */
export function displayValue(text: string): string {
  return text.includes(UNRESOLVED_MARKER)
    ? text
        .split(UNRESOLVED_MARKER)
        .map((part, i) => (i === 0 ? part : `<${part.replace('}}', '>')}`))
        .join('')
    : text;
}

export function stateMachineArn(ctx: StateMachineContext, name = ctx.name): string {
  return `arn:${ctx.partition}:states:${ctx.region}:${ctx.account}:stateMachine:${name}`;
}

export function executionArn(ctx: StateMachineContext, name: string, suffix = ':*'): string {
  return `arn:${ctx.partition}:states:${ctx.region}:${ctx.account}:execution:${name}${suffix}`;
}

export function bucketArn(ctx: StateMachineContext, bucket: string): string {
  return `arn:${ctx.partition}:s3:::${bucket}`;
}

export function objectArn(ctx: StateMachineContext, bucket: string, key: string): string {
  return `arn:${ctx.partition}:s3:::${bucket}/${key}`;
}

/** `prefix` as a folder: "results" and "results/" both give "results/*"; an empty prefix gives "*". */
export function underPrefix(prefix: string): string {
  const trimmed = trimTrailing(prefix, '/');
  return trimmed === '' ? '*' : `${trimmed}/*`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** Name of a state machine from its ARN, without an alias or version qualifier. */
export function stateMachineNameOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'states') return undefined;
  const [kind, name] = parsed.resource.split(':');
  return kind === 'stateMachine' ? name : undefined;
}

/** Lambda function reference (name, partial ARN or ARN, maybe qualified) to its ARN and whether it is qualified. */
export function lambdaFunctionArn(ctx: StateMachineContext, reference: string): { arn: string; qualified: boolean } {
  const parsed = parseArn(reference);
  if (parsed && parsed.service === 'lambda') {
    const segments = parsed.resource.split(':');
    return { arn: reference, qualified: segments.length > 2 };
  }
  const segments = reference.split(':');
  // "123456789012:function:name[:qualifier]"
  if (segments.length >= 3 && segments[1] === 'function') {
    const [account = ctx.account, , name = '', qualifier] = segments;
    const base = `arn:${ctx.partition}:lambda:${ctx.region}:${account}:function:${name}`;
    return qualifier === undefined ? { arn: base, qualified: false } : { arn: `${base}:${qualifier}`, qualified: true };
  }
  // "name[:qualifier]"
  const [name = '', qualifier] = segments;
  const base = `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:${name}`;
  return qualifier === undefined ? { arn: base, qualified: false } : { arn: `${base}:${qualifier}`, qualified: true };
}

/** https://sqs.us-east-1.amazonaws.com/123456789012/queue → arn:aws:sqs:us-east-1:123456789012:queue */
export function sqsQueueArn(ctx: StateMachineContext, queueUrl: string): string | undefined {
  const regional =
    /^https?:\/\/(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([^/?#]+)$/.exec(
      queueUrl,
    );
  if (regional) return `arn:${ctx.partition}:sqs:${regional[1] ?? regional[2]}:${regional[3]}:${regional[4]}`;
  const other = /^https?:\/\/[^/]+\/(\d{12})\/([^/?#]+)$/.exec(queueUrl);
  if (other) return `arn:${ctx.partition}:sqs:${ctx.region}:${other[1]}:${other[2]}`;
  return undefined;
}

/** The parts of `arn:<partition>:states:<region>:<account>:stateMachine:<name>`, or undefined if it is not one. */
export function parseStateMachineArn(
  arn: string,
): { partition: string; region: string; account: string; name: string } | undefined {
  const match = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([^:\s]{1,80})$/.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', account = '', name = ''] = match;
  return { partition, region, account, name };
}

/** The partition a Region belongs to. */
export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * A KMS key as a template, hook event or API names it (key id, alias name, key or alias ARN) → an ARN.
 * `aliases` maps alias names to their target key, followed until a key (or an alias outside it) is reached.
 */
export function kmsKeyArn(
  reference: string,
  where: { partition: string; region: string; account: string },
  aliases: ReadonlyMap<string, string> = new Map(),
  seen: ReadonlySet<string> = new Set(),
): string {
  const { partition, region, account } = where;
  const aliasName = reference.startsWith('alias/') ? reference : kmsAliasIn(reference);
  if (aliasName !== undefined) {
    const target = seen.has(aliasName) ? undefined : aliases.get(aliasName);
    return target !== undefined
      ? kmsKeyArn(target, where, aliases, new Set([...seen, aliasName]))
      : reference.startsWith('arn:')
        ? reference
        : `arn:${partition}:kms:${region}:${account}:${aliasName}`;
  }
  return reference.startsWith('arn:') ? reference : `arn:${partition}:kms:${region}:${account}:key/${reference}`;
}

/** "alias/…" from a key reference ending in ":alias/…" (as `/:(alias\/.+)$/`), scanned in linear time. */
export function kmsAliasIn(reference: string): string | undefined {
  // `.+$` cannot cross a line terminator, and ":alias/" holds none: the match starts after the last one.
  const start = reference.indexOf(':alias/', lastLineTerminator(reference, reference.length) + 1);
  return start < 0 || start + ':alias/'.length === reference.length ? undefined : reference.slice(start + 1);
}

/**
 * The path and name after `kind` in an ARN such as "arn:aws:iam::123456789012:policy/team/p" (path "/team/",
 * name "p"), as `/<kind>(\/.*\/|\/)([^/]+)$/` finds them, scanned in linear time.
 */
export function arnPathAndName(arn: string, kind: string): { path: string; name: string } | undefined {
  const lastSlash = arn.lastIndexOf('/');
  if (lastSlash < 0 || lastSlash === arn.length - 1) return undefined;
  // The name follows the last "/"; `.*` before it cannot cross a line terminator, and `<kind>/` holds none.
  const start = arn.indexOf(`${kind}/`, lastLineTerminator(arn, lastSlash) + 1);
  if (start < 0) return undefined;
  return { path: arn.slice(start + kind.length, lastSlash + 1), name: arn.slice(lastSlash + 1) };
}

// Hook STACK and CHANGE_SET payloads: a presigned S3 URL, fetched over https from an S3 host only, size-capped.

const S3_DOMAINS = ['.amazonaws.com', '.amazonaws.com.cn'];
const HOST_CHARACTERS = /^[a-z0-9.-]+$/;

/**
 * `[prefix.]s3[-region or .region…].amazonaws.com[.cn]`, checked label by label from the right: the RegExp it
 * replaces, `([.-][a-z0-9-]+)*` after `s3`, backtracked exponentially on hosts like `s3-a-a-a…-a.amazonaws.co`.
 */
export function isS3Host(hostname: string): boolean {
  const domain = S3_DOMAINS.find((d) => hostname.endsWith(d));
  if (domain === undefined) return false;
  const labels = hostname.slice(0, -domain.length).split('.');
  if (!HOST_CHARACTERS.test(labels.join('.'))) return false;
  // The labels right of the one that starts with `s3` must be non-empty; the ones left of it are a free prefix.
  let laterLabelsNonEmpty = true;
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i] as string;
    const rest = label.slice(2);
    const prefixOk = i === 0 || i > 1 || labels[0] !== '';
    if (
      label.startsWith('s3') &&
      laterLabelsNonEmpty &&
      prefixOk &&
      (rest === '' || (rest[0] === '-' && rest.length > 1))
    )
      return true;
    if (label === '') laterLabelsNonEmpty = false;
  }
  return false;
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

export function checkPayloadUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PayloadError('payload is not a URL');
  }
  if (parsed.protocol !== 'https:') throw new PayloadError(`payload URL must use https, got ${parsed.protocol}`);
  if (!isS3Host(parsed.hostname))
    throw new PayloadError(`payload URL host ${parsed.hostname} is not an Amazon S3 endpoint`);
  return parsed;
}

export async function fetchPresignedPayload(url: string, maxBytes: number, abortSignal?: AbortSignal): Promise<string> {
  const parsed = checkPayloadUrl(url);
  const response = await fetch(parsed, { redirect: 'error', ...(abortSignal ? { signal: abortSignal } : {}) });
  if (!response.ok) throw new PayloadError(`payload GET returned HTTP ${response.status}`);
  return readCapped(response, maxBytes);
}

/** The body as text, refusing more than maxBytes whatever Content-Length says. */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new PayloadError(`payload is ${declared} bytes; at most ${maxBytes} are read`);
  if (!response.body) return '';
  return readStreamCapped(response.body, maxBytes, () => new PayloadError(`payload exceeds ${maxBytes} bytes`));
}

/**
 * A byte stream as UTF-8 text, read chunk by chunk and abandoned (the stream cancelled) as soon as it passes
 * maxBytes, so a body without a length is never read whole.
 */
export async function readStreamCapped(
  stream: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early (the throw) returns the iterator, which cancels a web stream and destroys a Node one.
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

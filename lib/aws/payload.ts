// Hook STACK and CHANGE_SET payloads: a presigned S3 URL, fetched over https from an S3 host only, size-capped.

const S3_HOST = /^([a-z0-9.-]+\.)?s3([.-][a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

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
  if (!S3_HOST.test(parsed.hostname))
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
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new PayloadError(`payload exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Hashes of text from input. Synthetic names only need to be stable and well spread, so they use FNV-1a; SHA-256
// (SARIF fingerprints) and random bytes (--output's temporary file) come from node:crypto, required on first use:
// loading it costs every CLI start about 2 ms.
type Crypto = typeof import('node:crypto');

let crypto: Crypto | undefined;

function loadCrypto(): Crypto {
  crypto ??= require('node:crypto') as Crypto;
  return crypto;
}

export function sha256Hex(text: string): string {
  return loadCrypto().createHash('sha256').update(text).digest('hex');
}

export function randomHex(bytes: number): string {
  return loadCrypto().randomBytes(bytes).toString('hex');
}

const FNV_OFFSET_BASIS = 0x6c62272e07bb014262b821756295c58dn;
const FNV_PRIME = 0x0000000001000000000000000000013bn;
const MASK_128 = (1n << 128n) - 1n;
const utf8 = new TextEncoder();

/**
 * FNV-1a, 128 bits, of the UTF-8 bytes of `text`, as 32 hex digits (the most mixed first): for names that must be
 * the same on every run, never for anything secret (http://www.isthe.com/chongo/tech/comp/fnv/).
 */
export function fnv1a128Hex(text: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(text)) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_128;
  return hash.toString(16).padStart(32, '0');
}

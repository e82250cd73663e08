// Hashes of input text: FNV-1a 128 for synthetic names (the published test vectors), SHA-256 and random bytes.
import { createHash } from 'node:crypto';
import { fnv1a128Hex, randomHex, sha256Hex } from '../../lib/model/hash';

describe('fnv1a128Hex', () => {
  // FNV-1a 128-bit: the offset basis for "", and the vectors of http://www.isthe.com/chongo/tech/comp/fnv/.
  it.each([
    ['', '6c62272e07bb014262b821756295c58d'],
    ['a', 'd228cb696f1a8caf78912b704e4a8964'],
    ['foobar', '343e1662793c64bf6f0d3597ba446f18'],
  ])('%j → %s', (text, hex) => {
    expect(fnv1a128Hex(text)).toBe(hex);
  });

  it('hashes the UTF-8 bytes, so names with any characters are stable', () => {
    expect(fnv1a128Hex('é')).not.toBe(fnv1a128Hex('e'));
    expect(fnv1a128Hex('stack/Ünïcode')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('node:crypto on first use', () => {
  it('sha256Hex is SHA-256', () => {
    expect(sha256Hex('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('randomHex gives two hex digits per byte', () => {
    expect(randomHex(6)).toMatch(/^[0-9a-f]{12}$/);
  });
});

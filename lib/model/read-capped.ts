// Local files read with a size cap counted while reading: a file that grows after it was looked at, a FIFO or a
// device cannot make dmap-guard read more than the cap.
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError, messageOf } from './errors';

const CHUNK_BYTES = 64 * 1024;

/**
 * The UTF-8 text of `file`, at most `maxBytes` long; past the cap, or when the file cannot be read, an InputError
 * naming the file (and the cap).
 */
export function readTextCapped(file: string, maxBytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      // Never more than one byte past the cap: enough to know the file is too large.
      const read = readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, maxBytes + 1 - total), null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw new InputError(file, `has more than ${maxBytes} bytes; at most ${maxBytes} are read`);
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      file,
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'expected a file, got a directory'
          : `cannot read file (${messageOf(error)})`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

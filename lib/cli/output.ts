// --output: the report goes to a temporary file in the target's folder, renamed over the target once complete,
// so a reader never sees half a report and a failed run leaves the previous file as it was.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { messageOf } from '../model/errors';
import { randomHex } from '../model/hash';
import { UsageError } from './args';

export function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomHex(6)}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UsageError(`--output: cannot write ${file} (${messageOf(error)})`);
  }
}

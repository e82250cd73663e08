// One capped text reader for local inputs (templates, definitions, --resource-policies): counted while read.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDocumentFile, MAX_DOCUMENT_BYTES } from '../../lib/cfn/load';
import { MAX_RESOURCE_POLICIES_BYTES, readResourcePolicies } from '../../lib/inputs/resource-policies';
import { readTextCapped } from '../../lib/model/read-capped';

const dir = mkdtempSync(join(tmpdir(), 'dmap-guard-capped-'));
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readTextCapped', () => {
  it('reads a file up to the cap, UTF-8 included, across chunk boundaries', () => {
    const text = `${'é'.repeat(70_000)}\n`;
    const path = file('big-utf8.txt', text);
    expect(readTextCapped(path, Buffer.byteLength(text))).toBe(text);
    expect(readTextCapped(file('empty.txt', ''), 10)).toBe('');
  });

  it('refuses a file past the cap, naming the file and the cap', () => {
    const path = file('eleven.txt', '01234567890');
    expect(() => readTextCapped(path, 10)).toThrow(`${path}: has more than 10 bytes; at most 10 are read`);
  });

  it('stops reading at the cap on a source without end (a device)', () => {
    expect(() => readTextCapped('/dev/zero', 1000)).toThrow(
      '/dev/zero: has more than 1000 bytes; at most 1000 are read',
    );
  });

  it('reads a FIFO, which has no size to look at, with the cap counted', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer in another process fills the FIFO with more than the cap.
    const writer = spawn('sh', ['-c', `head -c 5000 /dev/zero > ${fifo}`]);
    expect(() => readTextCapped(fifo, 100)).toThrow('has more than 100 bytes');
    writer.kill();
  });

  it('a missing file and a directory are named as such', () => {
    expect(() => readTextCapped(join(dir, 'nope.json'), 10)).toThrow(/nope\.json: file not found$/);
    expect(() => readTextCapped(dir, 10)).toThrow(`${dir}: expected a file, got a directory`);
  });

  it('is what the document reader and the resource-policies reader use, each with its own cap', () => {
    const template = file('template.json', `{"Resources":{}}${' '.repeat(MAX_DOCUMENT_BYTES)}`);
    expect(() => readDocumentFile(template)).toThrow(`at most ${MAX_DOCUMENT_BYTES} are read`);
    const policies = file('policies.json', `{}${' '.repeat(MAX_RESOURCE_POLICIES_BYTES)}`);
    expect(() => readResourcePolicies(policies)).toThrow(`at most ${MAX_RESOURCE_POLICIES_BYTES} are read`);
    expect(readResourcePolicies(file('ok.json', '{"arn:aws:s3:::bkt1": null}')).get('arn:aws:s3:::bkt1')).toEqual(
      expect.objectContaining({ document: null }),
    );
  });
});

// Fixture discovery: every case in a folder becomes a row of an it.each table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function jsonCases<T>(folder: string): Array<[string, T, string]> {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
    .sort()
    .map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(dir, file), 'utf8')) as T,
      join(dir, file.replace(/\.json$/, '.expected.json')),
    ]);
}

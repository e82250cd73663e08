// Golden files: compared by default, rewritten with UPDATE_GOLDEN=1 (then reviewed in the diff).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function expectGolden(file: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI === 'true' && !existsSync(file))
      throw new Error(`golden file ${file} is missing; run npm run update-golden`);
    writeFileSync(file, text);
    return;
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

// Every rule lives in lib/checks/rules/<id>.ts and has its table of cases in tests/checks/rules/<id>.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../lib/checks/registry';

const LIB = join(__dirname, '..', '..', 'lib', 'checks', 'rules');
const TESTS = join(__dirname, 'rules');

describe('rule files', () => {
  it.each(RULES.map((r) => [r.id] as const))('%s has a source file and a test file named after its id', (id) => {
    expect([existsSync(join(LIB, `${id}.ts`)), existsSync(join(TESTS, `${id}.test.ts`))]).toEqual([true, true]);
  });

  it('has no rule file or rule test outside the registry', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const strays = [
      ...readdirSync(LIB).map((f) => f.replace(/\.ts$/, '')),
      ...readdirSync(TESTS).map((f) => f.replace(/\.test\.ts$/, '')),
    ].filter((id) => !ids.has(id));
    expect(strays).toEqual([]);
  });
});

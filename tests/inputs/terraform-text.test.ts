// The Terraform template and module-address scanners give what the regular expressions they replace gave.
import fc from 'fast-check';
import { replaceTemplateTerms } from '../../lib/inputs/terraform-documents';
import { parentModulePrefix } from '../../lib/inputs/terraform-plan';

const over = (...units: string[]) => fc.string({ unit: fc.constantFrom(...units), maxLength: 24 });
const property = (arbitrary: fc.Arbitrary<string>, check: (text: string) => void) =>
  fc.assert(fc.property(arbitrary, check), { numRuns: 2000 });

// Records each replacement so the calls, not only the text, are compared.
const render = (text: string, scan: boolean) => {
  const calls: Array<[string, string | undefined]> = [];
  const replace = (whole: string, name: string | undefined) => {
    calls.push([whole, name]);
    return `<${calls.length}>`;
  };
  const out = scan
    ? replaceTemplateTerms(text, replace)
    : text.replace(/\$\$\{|\$\{([^}]*)\}|%\{[^}]*\}/g, (whole: string, name: string | undefined) =>
        replace(whole, name),
      );
  return { out, calls };
};

describe('replaceTemplateTerms', () => {
  test.each([
    '',
    '${a}',
    '$${a}',
    '%{ if x }y%{ endif }',
    '${a',
    '$$${a}',
    '${a}%{b',
    '%${a}',
    '$${',
    '${}',
    '${${a}}',
  ])('%j as the regex', (text) => expect(render(text, true)).toEqual(render(text, false)));
  test('any text', () =>
    property(over('$', '%', '{', '}', 'a'), (t) => expect(render(t, true)).toEqual(render(t, false))));
});

describe('parentModulePrefix', () => {
  const oracle = (t: string) => t.replace(/module\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.$/, '');
  test.each([
    '',
    'module.a.',
    'module.a.module.b.',
    'module.a["k"].module.b[0].',
    'module.a[0].',
    'module.a[x[y].',
    'module.[0].',
    'xmodule.a.',
    'module.a.b.',
    'module.a[].',
    'module.a]x[0].',
    'module.a[0]',
  ])('%j as the regex', (text) => expect(parentModulePrefix(text)).toBe(oracle(text)));
  test('any text', () =>
    property(over('module.', 'a', '-', '.', '[', ']', '"'), (t) => expect(parentModulePrefix(t)).toBe(oracle(t))));
});

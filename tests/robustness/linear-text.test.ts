// Text scanners on ~200k characters built to make a backtracking regex retry from every position (the regexes
// they replace took seconds on these). No timing assertions: jest's timeout bounds a hang; figures live in bench.
import { replaceTemplateTerms } from '../../lib/inputs/terraform-documents';
import { parentModulePrefix } from '../../lib/inputs/terraform-plan';
import { isS3Hostname } from '../../lib/lambda/custom-resource';
import { arnPathAndName, kmsAliasIn, underPrefix, unresolvedMarkerIn } from '../../lib/model/arns';
import { interpolations, trimTrailing } from '../../lib/model/text';
import { variableKeys } from '../../lib/iam/knowledge';
import { joinLines, oneLine } from '../../lib/report/message';
import { probesFor, sensitiveExample } from '../../lib/checks/probes';
import type { Need } from '../../lib/needs/types';

const N = 200_000;
const many = (unit: string, tail = 'x') => unit.repeat(Math.ceil(N / unit.length)) + tail;

test('trailing runs', () => {
  expect(underPrefix(many('/')) === `${many('/')}/*`).toBe(true);
  expect(trimTrailing(many('*'), '*') === many('*')).toBe(true);
});

test('${…} terms', () => {
  expect(interpolations(many('${'))).toEqual([]);
  expect(interpolations(many('${'), true)).toEqual([]);
  expect(interpolations(many('${!'), true)).toEqual([]);
  expect(interpolations(many('${}'), true)).toEqual([]);
  expect(variableKeys(many('${a'))).toEqual([]);
  expect(variableKeys(many('${a}'))).toHaveLength(Math.ceil(N / 4));
});

test('Terraform templates and module addresses', () => {
  const text = many('${%{');
  expect(replaceTemplateTerms(text, () => 'r') === text).toBe(true);
  expect(replaceTemplateTerms('$${'.repeat(N / 2), () => '${') === '${'.repeat(N / 2)).toBe(true);
  expect(parentModulePrefix(many('module.a[', '.')) === many('module.a[', '.')).toBe(true);
  expect(parentModulePrefix(many('module.a[')) === many('module.a[')).toBe(true);
  expect(parentModulePrefix(`${many('module.a.')}module.b[0].`) === many('module.a.')).toBe(true);
});

test('whitespace runs', () => {
  expect(oneLine(many(' '))).toBe('x');
  expect(joinLines(many(' \t')) === many(' \t')).toBe(true);
  expect(oneLine(`a${many(' ', '\n')}b`)).toBe('a b');
});

test('ARNs, markers and hosts', () => {
  expect(arnPathAndName(many(':policy/', '/'), ':policy')).toBeUndefined();
  expect(arnPathAndName(many(':policy/a'), ':policy')?.name).toBe('ax');
  expect(arnPathAndName(many(':user/'), ':user')?.name).toBe('x');
  expect(kmsAliasIn(many(':alias/a', '\n'))).toBeUndefined();
  expect(unresolvedMarkerIn(many('{{dmap-guard:unresolved:'))).toBeUndefined();
  expect(unresolvedMarkerIn(many('{{dmap-guard:unresolved:}'))).toBeUndefined();
  expect(isS3Hostname(many('s3.'))).toBe(false);
  expect(isS3Hostname(`${many('s3.a.', '')}amazonaws.com`)).toBe(true);
});

test('a service named like an Object.prototype property has no sensitive actions', () => {
  expect(sensitiveExample('constructor')).toBeUndefined();
  const need = {
    sid: 'S',
    actions: ['constructor:Get'],
    resources: ['arn:aws:constructor:::x'],
    runtime: false,
  } as unknown as Need;
  // Only the probe for any other action of the service, and the need's own (with an Object key this threw).
  expect(probesFor([need], {}).map((p) => p.request.action)).toEqual([
    expect.stringMatching(/^constructor:/),
    'constructor:Get',
  ]);
});

// Loading JSON and YAML documents (CloudFormation short-form tags included) with line numbers on demand.
import { textOf } from '../model/json';
import { jsonPositions, offsetAt } from './json-positions';
import { InputError, messageOf } from '../model/errors';
import { readTextCapped } from '../model/read-capped';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';

export type JsonPath = Array<string | number>;

export interface Position {
  line: number;
  column: number;
}

export interface LoadedDocument {
  file: string;
  value: unknown;
  /** How the document is written (fixes are printed the same way). */
  language?: 'JSON' | 'YAML';
  /** Line and column of the value at `path`, or of its closest ancestor that exists. */
  locate(path: JsonPath): Position | undefined;
}

/** Templates and definitions larger than this are refused before parsing (CloudFormation's own limit is 1 MB). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/** Aliases expand to at most this many nodes: a YAML alias bomb stops here instead of exhausting memory. */
export const MAX_ALIAS_EXPANSION = 100_000;

const INTRINSICS = new Set([
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Transform',
  'Length',
  'ToJsonString',
  'ForEach',
]);

export function readDocumentFile(file: string): LoadedDocument {
  const text = readTextCapped(file, MAX_DOCUMENT_BYTES);
  return parseDocumentText(text, file);
}

export function parseDocumentText(text: string, file: string): LoadedDocument {
  if (text.length > MAX_DOCUMENT_BYTES)
    throw new InputError(file, `document is ${text.length} characters; at most ${MAX_DOCUMENT_BYTES} are read`);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      let positions: ReturnType<typeof jsonPositions> | undefined;
      let lines: number[] | undefined;
      return {
        file,
        value,
        language: 'JSON',
        locate: (path) => {
          positions ??= jsonPositions(text);
          lines ??= lineStarts(text);
          return positionIn(lines, offsetAt(positions, path));
        },
      };
    } catch (error) {
      const message = messageOf(error);
      const position = /position (\d+)/.exec(message);
      const where = position ? positionIn(lineStarts(text), Number(position[1])) : undefined;
      throw new InputError(file, `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, where);
    }
  }
  const yaml = parseYaml(text, file);
  return { file, value: yaml.value, language: 'YAML', locate: yaml.locate };
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** 1-based line and column of an offset, by binary search over line starts. */
function positionIn(starts: number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] as number) + 1 };
}

interface ParsedYaml {
  value: unknown;
  locate(path: JsonPath): Position | undefined;
}

function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new InputError(file, `invalid YAML: ${error.message.split('\n')[0]}`, { line: pos.line, column: pos.col });
  }
  const budget = { aliased: 0, inAlias: false };
  const value = toValue(doc.contents as YamlNode | null, doc, budget, file, lineCounter);
  return {
    value,
    locate(path) {
      let node = doc.contents as YamlNode | null;
      let found: YamlNode | null = node;
      for (const segment of path) {
        if (isAlias(node)) node = node.resolve(doc) ?? null;
        if (isMap(node)) {
          const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
          if (!pair) break;
          found = (pair.key as YamlNode | null) ?? found;
          node = pair.value as YamlNode | null;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as YamlNode | undefined;
          if (!item) break;
          node = item;
          found = item;
        } else break;
      }
      const offset = found?.range?.[0];
      if (offset === undefined) return undefined;
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

function toValue(
  node: YamlNode | null,
  doc: Document,
  budget: { aliased: number; inAlias: boolean },
  file: string,
  lines: LineCounter,
): unknown {
  if (node === null || node === undefined) return null;
  if (budget.inAlias && ++budget.aliased > MAX_ALIAS_EXPANSION) {
    const pos = lines.linePos(node.range?.[0] ?? 0);
    throw new InputError(file, `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (a YAML alias bomb?)`, {
      line: pos.line,
      column: pos.col,
    });
  }
  let value: unknown;
  if (isAlias(node)) {
    const outer = budget.inAlias;
    budget.inAlias = true;
    value = toValue(node.resolve(doc) ?? null, doc, budget, file, lines);
    budget.inAlias = outer;
    return value;
  } else if (isScalar(node)) {
    value = node.value;
  } else if (isMap(node)) {
    const entries: Array<[string, unknown]> = [];
    for (const pair of node.items) {
      const key = isScalar(pair.key)
        ? textOf(pair.key.value)
        : String(toValue(pair.key as YamlNode, doc, budget, file, lines));
      entries.push([key, toValue(pair.value as YamlNode | null, doc, budget, file, lines)]);
    }
    // From entries, as JSON.parse does: a `__proto__` key is an own property, not a new prototype.
    value = Object.fromEntries(entries);
  } else if (isSeq(node)) {
    value = node.items.map((item) => toValue(item as YamlNode | null, doc, budget, file, lines));
  } else {
    value = null;
  }
  const tag = node.tag;
  if (tag?.startsWith('!') && !tag.startsWith('!!')) {
    const name = tag.slice(1);
    if (INTRINSICS.has(name)) {
      if (name === 'Ref' || name === 'Condition') return { [name]: value };
      if (name === 'GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [`Fn::${name}`]: value };
    }
  }
  return value;
}

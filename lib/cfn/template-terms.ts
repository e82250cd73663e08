// The template's own terms for the values the analysis made up: which synthetic name, ARN, account, Region or
// parameter value came from which Ref, Fn::GetAtt, parameter or pseudo parameter, so that a fix reads
// `!GetAtt Bucket.Arn` or `!Sub "arn:${AWS::Partition}:states:..."` and pastes into the template as it is.
import { Document, isMap, Scalar, visit } from 'yaml';
import { isUnresolved } from '../model/arns';
import { isRecord } from '../model/json';
import { interpolations } from '../model/text';
import type { PolicyStatement } from '../needs/policy';
import type { FixRewriter } from '../report/terms';
import { resourceValues, type ResourceValues } from './resources';
import type { TemplateAnalysis } from './template';

/** A way to name a value: a Fn::Sub variable (`Bucket.Arn`, `Bucket`, `Param`, `AWS::Region`). */
interface Candidate {
  variable: string;
  /** The resource it names; a fix for a role cannot name what depends on that role (a circular dependency). */
  owner?: string;
  /** The value is a name CloudFormation generates at deployment, not one the template gives. */
  generated: boolean;
}

interface Term {
  value: string;
  /** More than one when the value is ambiguous (then it stays resolved, with a note). */
  candidates: Candidate[];
  /** Found between hyphens too: the account and Region are distinctive enough (`${AWS::AccountId}-reports`). */
  loose: boolean;
}

/**
 * Terms that start alike, by value and with their lengths longest first: a position tries each length once
 * (a template of thousands of buckets has thousands of ARNs starting `arn:aws:s3:::`, but few lengths).
 */
interface TermsAlike {
  lengths: number[];
  byValue: Map<string, Term>;
}

export interface TermMap {
  language: 'YAML' | 'JSON';
  /** Longest value first, so that an ARN wins over the name inside it. */
  terms: Term[];
  /** The terms by their first MIN_VALUE_LENGTH characters: a position looks at its own only. */
  byPrefix: Map<string, TermsAlike>;
  /** Logical ids that reference each logical id (Ref, Fn::GetAtt, Fn::Sub, DependsOn). */
  dependents: Map<string, Set<string>>;
  /** Logical ids each state machine's Role/RoleArn refers to. */
  roles: Map<string, string[]>;
}

/** Values shorter than this are not looked for inside others: "1" or "on" would match everywhere. */
const MIN_VALUE_LENGTH = 3;
/** What may surround a value found inside a longer string: ARN, path and host separators. */
const BOUNDARY = new Set([':', '/', '.', '*']);
const LOOSE_BOUNDARY = new Set([...BOUNDARY, '-', '_']);
const LOOSE_VARIABLES = new Set(['AWS::AccountId', 'AWS::Region']);
/** Resource attributes name a value best, then pseudo parameters, then template parameters. */
const RANK = { resource: 2, pseudo: 1, parameter: 0 } as const;

/** Logical ids referred to in a resource (intrinsics in their JSON form, as load.ts reads short tags). */
function referencesIn(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 100) return;
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, out, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  const ref = value.Ref;
  if (typeof ref === 'string') out.add(ref);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') out.add(getAtt[0]);
  else if (typeof getAtt === 'string') out.add(getAtt.split('.')[0] as string);
  const sub = value['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  const variables = Array.isArray(sub) && isRecord(sub[1]) ? sub[1] : {};
  for (const term of text === undefined ? [] : interpolations(text, true)) {
    const name = term.inner.trim();
    if (!Object.hasOwn(variables, name)) out.add(name.split('.')[0] as string);
  }
  for (const item of Object.values(value)) referencesIn(item, out, depth + 1);
}

function dependencyGraph(t: TemplateAnalysis, ids: string[]): Map<string, Set<string>> {
  const known = new Set(ids);
  const dependents = new Map<string, Set<string>>();
  for (const id of ids) {
    const refs = new Set<string>();
    referencesIn(t.resource(id), refs);
    for (const target of refs) {
      if (!known.has(target) || target === id) continue;
      const set = dependents.get(target) ?? new Set<string>();
      set.add(id);
      dependents.set(target, set);
    }
  }
  return dependents;
}

/** The reverse map of a template's resolution: every value the analysis made up, with the intrinsic that names it. */
export function templateTerms(t: TemplateAnalysis, language: 'YAML' | 'JSON'): TermMap {
  const byValue = new Map<string, { rank: number; candidates: Candidate[] }>();
  const add = (value: unknown, rank: number, candidate: Candidate) => {
    if (typeof value !== 'string' || value.length < MIN_VALUE_LENGTH || value === '*' || isUnresolved(value)) return;
    const entry = byValue.get(value);
    if (!entry || rank > entry.rank) byValue.set(value, { rank, candidates: [candidate] });
    // A resource's Ref and an attribute can be the same value (a topic's ARN): the first names it.
    else if (rank === entry.rank && !entry.candidates.some((c) => c.owner !== undefined && c.owner === candidate.owner))
      entry.candidates.push(candidate);
  };
  const ids = t.resourceIds();
  const roles = new Map<string, string[]>();
  for (const id of ids) {
    const type = t.typeOf(id) as string;
    const values = t.values(id);
    if (!values) continue;
    const generated = sameValues(values, resourceValues(type, id, {}, t.pseudo));
    add(values.ref, RANK.resource, { variable: id, owner: id, generated });
    for (const [attribute, value] of Object.entries(values.attributes))
      add(value, RANK.resource, { variable: `${id}.${attribute}`, owner: id, generated });
    if (type === 'AWS::StepFunctions::StateMachine' || type === 'AWS::Serverless::StateMachine') {
      const refs = new Set<string>();
      const props = t.properties(id);
      referencesIn(props.RoleArn ?? props.Role, refs);
      roles.set(id, [...refs]);
    }
  }
  add(t.pseudo.account, RANK.pseudo, { variable: 'AWS::AccountId', generated: false });
  add(t.pseudo.region, RANK.pseudo, { variable: 'AWS::Region', generated: false });
  add(t.pseudo.partition, RANK.pseudo, { variable: 'AWS::Partition', generated: false });
  const parameters = isRecord(t.template.Parameters) ? Object.keys(t.template.Parameters) : [];
  for (const name of parameters) add(t.resolve({ Ref: name }), RANK.parameter, { variable: name, generated: false });
  const terms = [...byValue].map(([value, { candidates }]) => ({
    value,
    candidates,
    loose: candidates.every((c) => LOOSE_VARIABLES.has(c.variable)),
  }));
  terms.sort((a, b) => b.value.length - a.value.length);
  const byPrefix = new Map<string, TermsAlike>();
  for (const term of terms) {
    const prefix = term.value.slice(0, MIN_VALUE_LENGTH);
    let alike = byPrefix.get(prefix);
    if (!alike) byPrefix.set(prefix, (alike = { lengths: [], byValue: new Map() }));
    // Longest first (terms are sorted so), each length once.
    if (alike.lengths[alike.lengths.length - 1] !== term.value.length) alike.lengths.push(term.value.length);
    alike.byValue.set(term.value, term);
  }
  return { language, terms, byPrefix, dependents: dependencyGraph(t, ids), roles };
}

function sameValues(a: ResourceValues, b: ResourceValues): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What the role of a state machine cannot name: the machine, its role, and what depends on either. */
export function dependsOnRole(terms: TermMap, machine: string): Set<string> {
  const avoid = new Set<string>();
  const pending = [machine, ...(terms.roles.get(machine) ?? [])];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (avoid.has(id)) continue;
    avoid.add(id);
    pending.push(...(terms.dependents.get(id) ?? []));
  }
  return avoid;
}

const intrinsic = (variable: string): unknown => {
  const dot = variable.startsWith('AWS::') ? -1 : variable.indexOf('.');
  return dot < 0 ? { Ref: variable } : { 'Fn::GetAtt': [variable.slice(0, dot), variable.slice(dot + 1)] };
};

/**
 * A string in the template's terms: one whole Ref/GetAtt, a Fn::Sub over the known parts (literal `${` escaped
 * as `${!`), or the string itself. Values it must leave resolved (ambiguous, or naming what depends on the
 * role) get a note.
 */
export function inTemplateTerms(
  text: string,
  terms: TermMap,
  avoid: ReadonlySet<string> = new Set(),
  notes: Set<string> = new Set(),
): unknown {
  const parts: Array<{ literal: string } | { variable: string }> = [];
  let literal = '';
  let at = 0;
  while (at < text.length) {
    const variable = termAt(text, at, terms, avoid, notes);
    if (variable === undefined) {
      literal += text[at];
      at++;
      continue;
    }
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ variable: variable.variable });
    at += variable.length;
  }
  if (literal !== '') parts.push({ literal });
  const [first] = parts;
  if (parts.length === 1 && first && 'variable' in first) return intrinsic(first.variable);
  if (!parts.some((p) => 'variable' in p)) return text;
  return {
    'Fn::Sub': parts.map((p) => ('variable' in p ? `\${${p.variable}}` : p.literal.split('${').join('${!'))).join(''),
  };
}

/** The longest value at `at` that ends on a boundary and names one usable thing. */
function termAt(
  text: string,
  at: number,
  terms: TermMap,
  avoid: ReadonlySet<string>,
  notes: Set<string>,
): { variable: string; length: number } | undefined {
  const before = at === 0 ? undefined : (text[at - 1] as string);
  if (before !== undefined && !LOOSE_BOUNDARY.has(before)) return undefined;
  const alike = terms.byPrefix.get(text.slice(at, at + MIN_VALUE_LENGTH));
  for (const length of alike?.lengths ?? []) {
    const end = at + length;
    if (end > text.length) continue;
    const term = alike?.byValue.get(text.slice(at, end));
    if (!term) continue;
    const boundary = term.loose ? LOOSE_BOUNDARY : BOUNDARY;
    if (before !== undefined && !boundary.has(before)) continue;
    if (end < text.length && !boundary.has(text[end] as string)) continue;
    const usable = term.candidates.filter((c) => c.owner === undefined || !avoid.has(c.owner));
    const [only] = usable;
    if (usable.length === 1 && only) return { variable: only.variable, length: term.value.length };
    if (usable.length > 1)
      notes.add(`${term.value} is left as it is: it could be ${usable.map((c) => `\${${c.variable}}`).join(' or ')}`);
    else {
      const generated = term.candidates.find((c) => c.generated);
      if (generated?.owner !== undefined)
        notes.add(
          `${term.value} is the name dmap-guard assumed for ${generated.owner}, which CloudFormation generates; the role cannot name ${generated.owner} without a circular dependency, so give ${generated.owner} a name in the template`,
        );
    }
    // Shorter values inside it (the account, the Region) can still be named.
  }
  return undefined;
}

/** A value in the template's terms, with the notes it needed. */
type Rewritten = { value: unknown; notes: string[] };

function statementInTerms(
  statement: PolicyStatement,
  inTerms: (text: string, notes: Set<string>) => unknown,
  notes: Set<string>,
): unknown {
  const rewrite = (value: string | string[]) =>
    Array.isArray(value) ? value.map((v) => inTerms(v, notes)) : inTerms(value, notes);
  const out: Record<string, unknown> = { ...statement, Resource: rewrite(statement.Resource) };
  if (statement.Condition)
    out.Condition = Object.fromEntries(
      Object.entries(statement.Condition).map(([operator, keys]) => [
        operator,
        Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, rewrite(values)])),
      ]),
    );
  return out;
}

/** YAML with CloudFormation's short-form tags, so `!GetAtt` and `!Sub` paste as they read. */
export function templateYaml(value: unknown): string {
  // The same intrinsic object may stand in several places (rewrites are memoized): never as a YAML alias.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Map(_key, node) {
      if (!isMap(node) || node.items.length !== 1) return undefined;
      const json: unknown = node.toJSON();
      if (!isRecord(json)) return undefined;
      const scalar = (text: unknown, tag: string, quoted = false) => {
        if (typeof text !== 'string') return undefined;
        const s = new Scalar(text);
        s.tag = tag;
        if (quoted) s.type = Scalar.QUOTE_DOUBLE;
        return s;
      };
      if (typeof json.Ref === 'string') return scalar(json.Ref, '!Ref');
      const getAtt = json['Fn::GetAtt'];
      if (Array.isArray(getAtt)) return scalar(getAtt.join('.'), '!GetAtt');
      if (typeof json['Fn::Sub'] === 'string') return scalar(json['Fn::Sub'], '!Sub', true);
      return undefined;
    },
  });
  return doc.toString({ lineWidth: 0 }).trimEnd();
}

/** The rewriter the report uses for the findings of one state machine of the template. */
export function machineRewriter(terms: TermMap, machine: string): FixRewriter {
  const avoid = dependsOnRole(terms, machine);
  const yaml = terms.language === 'YAML';
  // The same resources recur in many fixes of a machine (a shared role's fixes list all its machines' ARNs).
  const seen = new Map<string, Rewritten>();
  const inTerms = (text: string, notes: Set<string>): unknown => {
    let known = seen.get(text);
    if (!known) {
      const own = new Set<string>();
      known = { value: inTemplateTerms(text, terms, avoid, own), notes: [...own] };
      seen.set(text, known);
    }
    for (const note of known.notes) notes.add(note);
    return known.value;
  };
  return {
    language: terms.language,
    statements(statements) {
      const notes = new Set<string>();
      const rewritten = statements.map((s) => statementInTerms(s, inTerms, notes));
      return { statements: rewritten, notes: [...notes] };
    },
    text(value, notes) {
      const body = yaml
        ? templateYaml(value)
        : Array.isArray(value)
          ? value.map((s) => JSON.stringify(s, null, 2)).join(',\n')
          : JSON.stringify(value, null, 2);
      return [body, ...notes.map((note) => (yaml ? `# note: ${note}` : `Note: ${note}`))].join('\n');
    },
  };
}

// Documents as a Terraform plan holds them: JSON strings (policies, definitions), aws_iam_policy_document data
// sources (rendered JSON, or their statement blocks when the JSON waits for apply) and template_file renderings.
// Anything known only after apply becomes the unresolved marker, which needs and rules treat as a run-time value.
import { unresolved } from '../cfn/intrinsics';
import { isRecord } from '../model/json';
import type { TerraformInstance, TerraformPlan } from './terraform-plan';

/** A document read from the plan, or why it cannot be. */
export type PlanDocument = { document: unknown; partial?: string } | { unavailable: string };

const AFTER_APPLY = 'known only after apply';

/** The value with every part `unknown` marks replaced by an unresolved marker naming where it comes from. */
export function withUnknowns(value: unknown, unknown: unknown, label: string): unknown {
  if (unknown === true) return unresolved(label);
  if (Array.isArray(value))
    return value.map((item, i) =>
      withUnknowns(item, Array.isArray(unknown) ? unknown[i] : undefined, `${label}[${i}]`),
    );
  if (isRecord(value)) {
    const copy: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value))
      copy[key] = withUnknowns(item, isRecord(unknown) ? unknown[key] : undefined, `${label}.${key}`);
    return copy;
  }
  return value;
}

/** A JSON string attribute (policy, definition) parsed; unknown ones are followed to the data source that makes them. */
export function jsonAttribute(plan: TerraformPlan, instance: TerraformInstance, attribute: string): PlanDocument {
  const read = plan.read(instance, attribute);
  if ('value' in read) return parseJson(read.value, `${instance.address}.${attribute}`);
  if ('absent' in read) return { unavailable: `${instance.address} has no ${attribute}` };
  for (const link of plan.links(instance, attribute)) {
    if (link.instance.type === 'aws_iam_policy_document' && link.instance.mode === 'data')
      return policyDocumentData(plan, link.instance);
    if (link.instance.type === 'template_file' && link.instance.mode === 'data')
      return templateFile(plan, link.instance);
  }
  return { unavailable: `${attribute} of ${instance.address} is ${AFTER_APPLY}` };
}

function parseJson(value: unknown, where: string): PlanDocument {
  if (typeof value !== 'string') return { document: value };
  try {
    return { document: JSON.parse(value) as unknown };
  } catch {
    // The rules report a policy or definition that is not JSON; keep the text for them.
    return { document: value, partial: `${where} is not valid JSON` };
  }
}

/** data.aws_iam_policy_document: its JSON, or its statement blocks with unknown parts marked. */
function policyDocumentData(plan: TerraformPlan, data: TerraformInstance): PlanDocument {
  const json = plan.read(data, 'json');
  if ('value' in json) return parseJson(json.value, `${data.address}.json`);
  const statements = plan.read(data, 'statement');
  if (!('value' in statements) || !Array.isArray(statements.value))
    return { unavailable: `the statements of ${data.address} are ${AFTER_APPLY}` };
  const marked = withUnknowns(statements.value, statements.unknownInside, `${data.address}.statement`) as unknown[];
  const merged = ['source_policy_documents', 'override_policy_documents'].filter((field) => {
    const read = plan.read(data, field);
    return 'unknown' in read || ('value' in read && Array.isArray(read.value) && read.value.length > 0);
  });
  const version = plan.read(data, 'version');
  const document = {
    Version: 'value' in version && typeof version.value === 'string' ? version.value : '2012-10-17',
    Statement: marked.map((statement) =>
      typeof statement === 'string' ? { Effect: 'Allow', Sid: statement } : statementOf(statement),
    ),
  };
  return merged.length > 0
    ? { document, partial: `${data.address} merges ${merged.join(' and ')}, which dmap-guard does not read` }
    : { document };
}

function statementOf(block: unknown): Record<string, unknown> {
  const b = isRecord(block) ? block : {};
  // Keys below come from the plan (a condition's test and variable, a principal's type): objects without a
  // prototype, so "__proto__" is a key like any other and never reaches Object.prototype.
  const statement: Record<string, unknown> = Object.create(null);
  const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value : undefined);
  if (typeof b.sid === 'string' && b.sid !== '') statement.Sid = b.sid;
  statement.Effect = typeof b.effect === 'string' && b.effect !== '' ? b.effect : 'Allow';
  const fields: Array<[string, string]> = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [from, to] of fields) if (list(b[from])) statement[to] = b[from];
  for (const [from, to] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const principals = list(b[from]);
    if (principals) statement[to] = principalOf(principals);
  }
  const conditions = list(b.condition);
  if (conditions) {
    const condition: Record<string, Record<string, unknown>> = Object.create(null);
    for (const c of conditions) {
      if (!isRecord(c) || typeof c.test !== 'string' || typeof c.variable !== 'string') continue;
      (condition[c.test] ??= Object.create(null) as Record<string, unknown>)[c.variable] = c.values;
    }
    statement.Condition = condition;
  }
  return statement;
}

function principalOf(blocks: unknown[]): unknown {
  const principal: Record<string, unknown[]> = Object.create(null);
  for (const block of blocks) {
    if (!isRecord(block) || typeof block.type !== 'string') continue;
    const identifiers = Array.isArray(block.identifiers) ? block.identifiers : [];
    if (block.type === '*' && identifiers.every((i) => i === '*')) return '*';
    principal[block.type] = [...(principal[block.type] ?? []), ...identifiers];
  }
  return principal;
}

/**
 * `text` with each `$${`, `${name}` and `%{…}` replaced (`name` is undefined but for `${name}`), as
 * `text.replace(/\$\$\{|\$\{([^}]*)\}|%\{[^}]*\}/g, replace)` does it, scanned in linear time.
 */
export function replaceTemplateTerms(
  text: string,
  replace: (whole: string, name: string | undefined) => string,
): string {
  const parts: string[] = [];
  let copied = 0;
  // The first `}` from where it was last asked; -1 once there is none (then no `${…}` or `%{…}` can match).
  let close = -2;
  const closeFrom = (from: number) => {
    if (close === -1 || close >= from) return close;
    close = text.indexOf('}', from);
    return close;
  };
  let at = 0;
  while (at < text.length) {
    const c = text[at];
    let end = -1;
    let name: string | undefined;
    if (c === '$' && text.startsWith('$${', at)) end = at + 3;
    else if ((c === '$' || c === '%') && text[at + 1] === '{') {
      const brace = closeFrom(at + 2);
      if (brace >= 0) {
        end = brace + 1;
        if (c === '$') name = text.slice(at + 2, brace);
      }
    }
    if (end < 0) {
      at++;
      continue;
    }
    parts.push(text.slice(copied, at), replace(text.slice(at, end), name));
    copied = at = end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** data.template_file (hashicorp/template): its rendering, with variables known only after apply marked. */
function templateFile(plan: TerraformPlan, data: TerraformInstance): PlanDocument {
  const rendered = plan.read(data, 'rendered');
  if ('value' in rendered) return parseJson(rendered.value, `${data.address}.rendered`);
  const template = plan.read(data, 'template');
  if (!('value' in template) || typeof template.value !== 'string')
    return { unavailable: `the template of ${data.address} is ${AFTER_APPLY}` };
  const vars = plan.read(data, 'vars');
  const known = 'value' in vars && isRecord(vars.value) ? vars.value : {};
  const unknownVars = 'unknown' in vars ? true : 'value' in vars ? vars.unknownInside : undefined;
  let unsupported: string | undefined;
  // ${name} interpolations only; $${ is a literal "${". Functions and directives are not rendered.
  const text = replaceTemplateTerms(template.value, (whole, name) => {
    if (whole === '$${') return '${';
    const variable = name?.trim() ?? '';
    if (whole.startsWith('%{') || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(variable)) {
      unsupported ??= whole;
      return whole;
    }
    if (unknownVars === true || (isRecord(unknownVars) && unknownVars[variable] === true))
      return unresolved(`${data.address}.vars.${variable}`);
    const value = Object.hasOwn(known, variable) ? known[variable] : undefined;
    return typeof value === 'string' ? value : unresolved(`${data.address}.vars.${variable}`);
  });
  if (unsupported !== undefined)
    return { unavailable: `${data.address} uses ${unsupported}, which dmap-guard does not render` };
  return parseJson(text, `${data.address}.rendered`);
}

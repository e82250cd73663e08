// The check configuration file: --config, else `.dmap-guard.yaml` in the working directory, else in the
// templates' folder. Suppressions name rules the registry knows (or an alias of one).
import { RULE_ALIASES } from '../cfn/suppressions';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readDocumentFile } from '../cfn/load';
import { parseSuppressions } from '../cfn/suppressions';
import { RULES } from '../checks/registry';
import type { FailOn } from '../report/report';
import { InputError } from '../model/errors';
import { isRecord, textOf } from '../model/json';
import type { Suppression } from '../model/state-machine';
import { FAIL_ON, UsageError } from './args';

export const CONFIG_FILE = '.dmap-guard.yaml';

export interface Config {
  /** The file the settings came from, if any. */
  file?: string;
  failOn?: FailOn;
  parameterOverrides: Record<string, string>;
  bucketKeys: Record<string, string>;
  suppress: Array<Suppression & { stateMachine?: string }>;
}

/** The registry's id for a rule id or its alias; undefined for an unknown id. */
export function canonicalRuleId(id: string): string | undefined {
  const known = new Set(RULES.map((r) => r.id));
  if (known.has(id)) return id;
  // Renamed rules: the old id means the one the registry has (lib/cfn/suppressions.ts).
  const renamed = RULE_ALIASES.get(id);
  return renamed !== undefined && known.has(renamed) ? renamed : undefined;
}

/** Suppressions with their rule ids checked against the registry (and aliases resolved). */
export function checkedSuppressions<S extends Suppression>(suppressions: S[], file: string, path: string): S[] {
  return suppressions.map((s, index) => {
    const rule = canonicalRuleId(s.rule);
    if (rule === undefined)
      throw new InputError(
        file,
        `unknown rule "${s.rule}"; expected one of ${RULES.map((r) => r.id).join(', ')} (dmap-guard rules lists them)`,
        { path: `${path}[${index}].rule` },
      );
    return { ...s, rule };
  });
}

function stringMap(value: unknown, file: string, path: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new InputError(file, 'expected a mapping of names to strings', { path });
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, textOf(v)]));
}

export function readConfig(file: string): Config {
  const value = readDocumentFile(file).value ?? {};
  if (!isRecord(value))
    throw new InputError(file, 'expected a mapping with failOn, parameterOverrides, bucketKeys and/or suppress');
  const known = ['failOn', 'parameterOverrides', 'bucketKeys', 'suppress'];
  const unknown = Object.keys(value).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw new InputError(file, `unknown setting; expected one of ${known.join(', ')}`, { path: unknown });
  const failOn = FAIL_ON.find((f) => f === value.failOn);
  if (value.failOn !== undefined && failOn === undefined)
    throw new InputError(file, 'expected error, warning or never', { path: 'failOn' });
  const suppress = value.suppress === undefined ? [] : parseSuppressions(value.suppress, file, 'suppress');
  const raw = Array.isArray(value.suppress) ? value.suppress : [];
  const withMachines = suppress.map((s, i) => {
    const entry: unknown = raw[i];
    const machine = isRecord(entry) ? entry.stateMachine : undefined;
    return typeof machine === 'string' ? { ...s, stateMachine: machine } : s;
  });
  return {
    file,
    ...(failOn !== undefined ? { failOn } : {}),
    parameterOverrides: stringMap(value.parameterOverrides, file, 'parameterOverrides'),
    bucketKeys: stringMap(value.bucketKeys, file, 'bucketKeys'),
    suppress: checkedSuppressions(withMachines, file, 'suppress'),
  };
}

/** --config, else the working directory's `.dmap-guard.yaml`, else the one beside the templates (one only). */
export function findConfig(explicit: string | undefined, cwd: string, templateFiles: string[]): Config {
  if (explicit !== undefined) return readConfig(explicit);
  const inCwd = join(cwd, CONFIG_FILE);
  if (existsSync(inCwd)) return readConfig(inCwd);
  // A folder argument (templates, cdk.out) is its own "template folder".
  const folderOf = (arg: string) => {
    const path = resolve(cwd, arg);
    return existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  };
  const beside = [...new Set(templateFiles.map((f) => join(folderOf(f), CONFIG_FILE)))].filter((f) => existsSync(f));
  if (beside.length > 1)
    throw new UsageError(`several ${CONFIG_FILE} files apply (${beside.join(', ')}); choose one with --config`);
  return beside[0] !== undefined ? readConfig(beside[0]) : { parameterOverrides: {}, bucketKeys: {}, suppress: [] };
}

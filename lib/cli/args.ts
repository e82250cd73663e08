// Command-line arguments in the AWS CLI's style: `--name value`, `--name=value`, and lists `--name v1 v2 …`.

/** A usage error: the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  kind: 'string' | 'list' | 'flag';
  choices?: readonly string[];
  /** A one-line description for --help. */
  help: string;
  placeholder?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  positionals: { min: number; max: number; name: string };
}

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string>;
  lists: Record<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: CommandSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], strings: {}, lists: {}, flags: new Set() };
  let index = 0;
  while (index < argv.length) {
    const token = argv[index++] as string;
    if (!token.startsWith('--') || token === '--') {
      parsed.positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const option = spec.options[name];
    if (!option) throw new UsageError(`${spec.name}: unknown option --${name} (see dmap-guard ${spec.name} --help)`);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    if (option.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${spec.name}: --${name} takes no value`);
      parsed.flags.add(name);
      continue;
    }
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    else if (option.kind === 'string') {
      const next = argv[index];
      if (next !== undefined && !next.startsWith('--')) {
        values.push(next);
        index++;
      }
    } else {
      while (index < argv.length && !(argv[index] as string).startsWith('--')) values.push(argv[index++] as string);
    }
    if (values.length === 0)
      throw new UsageError(
        `${spec.name}: --${name} needs a value${option.placeholder ? ` (${option.placeholder})` : ''}`,
      );
    for (const value of values) {
      if (option.choices && !option.choices.includes(value)) {
        throw new UsageError(`${spec.name}: --${name} must be one of ${option.choices.join(', ')}; got "${value}"`);
      }
    }
    if (option.kind === 'string') {
      if (name in parsed.strings) throw new UsageError(`${spec.name}: --${name} is given more than once`);
      parsed.strings[name] = values[0] as string;
    } else {
      parsed.lists[name] = [...(parsed.lists[name] ?? []), ...values];
    }
  }
  const { min, max, name } = spec.positionals;
  if (parsed.positionals.length < min)
    throw new UsageError(
      `${spec.name}: expected ${min === max ? min : `at least ${min}`} ${name} argument${min === 1 ? '' : 's'} (usage: ${spec.usage})`,
    );
  if (parsed.positionals.length > max)
    throw new UsageError(`${spec.name}: unexpected argument "${parsed.positionals[max]}" (usage: ${spec.usage})`);
  return parsed;
}

/** `bucket=value` pairs, as --kms-key and --bucket-key take them. */
export function parsePairs(values: string[], option: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--${option} expects NAME=VALUE, got "${value}"`);
    pairs[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return pairs;
}

export function helpText(spec: CommandSpec): string {
  const lines = [`dmap-guard ${spec.name}: ${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  for (const [name, option] of Object.entries(spec.options)) {
    const value =
      option.kind === 'flag'
        ? ''
        : ` <${option.placeholder ?? (option.choices ? option.choices.join('|') : 'value')}>${option.kind === 'list' ? '...' : ''}`;
    lines.push(`  --${name}${value}`, `      ${option.help}`);
  }
  return lines.join('\n');
}

// Option values: typed parsers for commander (choices, single values, NAME=VALUE pairs) and the usage error.
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { FAIL_ON_LEVELS } from '../report/report';

/** A usage error: the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A parser that accepts only the declared choices and types the value as their union. */
export function choice<const T extends string>(values: readonly T[]): (value: string, previous: unknown) => T {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError('is given more than once');
    const found = values.find((v) => v === value);
    if (found === undefined) throw new InvalidArgumentError(`must be one of ${values.join(', ')}; got "${value}"`);
    return found;
  };
}

/** A string option that may be given once. */
export function single(value: string, previous: unknown): string {
  if (previous !== undefined) throw new InvalidArgumentError('is given more than once');
  return value;
}

/** `bucket=value` pairs, as --kms-key and --bucket-key take them. */
export function parsePairs(values: string[], option: string): Record<string, string> {
  const pairs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--${option} expects NAME=VALUE, got "${value}"`);
    pairs[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return pairs;
}

export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;
/** The --fail-on levels, most severe first (error > unverified > warning > info), as report.ts orders them. */
export const FAIL_ON = FAIL_ON_LEVELS;

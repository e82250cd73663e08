// Reading string fields of Parameters/Arguments as either known values or run-time placeholders.
import { readField } from '../asl/definition';
import { isUnresolved } from '../model/arns';

export interface StringValue {
  /** The value, or `*` when it is known only at run time. */
  value: string;
  runtime: boolean;
  /** Where the run-time value comes from ("$.bucket", "{% $states.input.key %}"). */
  expression?: string;
  /** The field as written ("Bucket.$" or "Bucket"). */
  field: string;
}

/** Read a string field; paths, JSONata and unresolved intrinsics become a `*` placeholder marked runtime. */
export function readString(container: unknown, key: string): StringValue | undefined {
  const field = readField(container, key);
  if (field === undefined) return undefined;
  if (field.kind === 'runtime') return { value: '*', runtime: true, expression: field.expression, field: field.field };
  if (typeof field.value === 'string') {
    if (isUnresolved(field.value)) return { value: '*', runtime: true, expression: field.value, field: key };
    return { value: field.value, runtime: false, field: key };
  }
  if (typeof field.value === 'number' || typeof field.value === 'boolean') {
    return { value: String(field.value), runtime: false, field: key };
  }
  return { value: '*', runtime: true, expression: JSON.stringify(field.value), field: key };
}

/** Merge the runtime flags of several values into need fields. */
export function runtimeOf(...values: Array<StringValue | undefined>): { runtime: boolean; runtimeExpression?: string } {
  const expressions = [
    ...new Set(values.filter((v): v is StringValue => v?.runtime === true).map((v) => v.expression ?? v.field)),
  ];
  return expressions.length === 0 ? { runtime: false } : { runtime: true, runtimeExpression: expressions.join(', ') };
}

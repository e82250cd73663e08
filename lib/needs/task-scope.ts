// What every task integration's needs are built from: the state, the machine and the call's arguments.
import { isObject, type StateNode } from '../asl/definition';
import type { StateMachineContext } from '../model/state-machine';
import { DOCS, type Need } from './types';
import { readString, runtimeOf, type StringValue } from './values';

export interface TaskScope {
  state: StateNode;
  ctx: StateMachineContext;
  args: unknown;
  argsField: string;
}

export function need(
  scope: TaskScope,
  fields: Omit<Need, 'source' | 'runtime' | 'tier'> & { tier?: Need['tier'] },
  field: string,
  ...values: Array<StringValue | undefined>
): Need {
  return { tier: 'required', ...fields, source: { state: scope.state.path, field }, ...runtimeOf(...values) };
}

export function capitalise(api: string): string {
  return api.charAt(0).toUpperCase() + api.slice(1);
}

export function readField(container: unknown, key: string): unknown {
  return isObject(container) ? container[key] : undefined;
}

export function tableArn(ctx: StateMachineContext, table: StringValue): string {
  if (!table.runtime && table.value.startsWith('arn:')) return table.value;
  return `arn:${ctx.partition}:dynamodb:${ctx.region}:${ctx.account}:table/${table.value}`;
}

/** PutEvents on each entry's bus (the default bus when an entry names none). */
export function eventBusNeeds(scope: TaskScope): Need[] {
  const { ctx, args, argsField } = scope;
  const entries = readField(args, 'Entries');
  const busArn = (name: string) =>
    name.startsWith('arn:') ? name : `arn:${ctx.partition}:events:${ctx.region}:${ctx.account}:event-bus/${name}`;
  const why = { text: 'The task puts events on this event bus.', docs: DOCS.integrations };
  if (!Array.isArray(entries)) {
    return [
      need(
        scope,
        { sid: 'PutEvents', actions: ['events:PutEvents'], resources: [busArn('*')], why },
        `${argsField}.Entries`,
        {
          value: '*',
          runtime: true,
          expression: 'Entries',
          field: 'Entries',
        },
      ),
    ];
  }
  return entries.map((entry, index) => {
    const bus = readString(entry, 'EventBusName');
    return need(
      scope,
      { sid: 'PutEvents', actions: ['events:PutEvents'], resources: [busArn(bus?.value ?? 'default')], why },
      `${argsField}.Entries[${index}].${bus?.field ?? 'EventBusName'}`,
      bus,
    );
  });
}

// States, buckets and bucket-key names that are members of Object.prototype are read like any other name,
// whether the definition comes as JSON text or as a parsed object.
import { parseDefinition } from '../../lib/asl/definition';
import { deriveNeeds } from '../../lib/needs';
import type { StateMachineContext } from '../../lib/model/state-machine';

const NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

/** JSON text: the only way to write an own "__proto__" key without it setting the prototype. */
function definitionText(start: string, next: string, child: string, bucket: string): string {
  return `{
    "StartAt": ${JSON.stringify(start)},
    "States": {
      ${JSON.stringify(start)}: { "Type": "Pass", "Next": ${JSON.stringify(next)} },
      ${JSON.stringify(next)}: {
        "Type": "Map",
        "ItemReader": {
          "Resource": "arn:aws:states:::s3:getObject",
          "ReaderConfig": { "InputType": "JSON" },
          "Parameters": { "Bucket": ${JSON.stringify(bucket)}, "Key": "orders.json" }
        },
        "ItemProcessor": {
          "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
          "StartAt": ${JSON.stringify(child)},
          "States": { ${JSON.stringify(child)}: { "Type": "Pass", "End": true } }
        },
        "ResultWriter": {
          "Resource": "arn:aws:states:::s3:putObject",
          "Parameters": { "Bucket": "orders-results", "Prefix": "out" }
        },
        "End": true
      }
    }
  }`;
}

const context = (bucketKeys: Record<string, string>): StateMachineContext => ({
  name: 'orders',
  partition: 'aws',
  region: 'us-east-1',
  account: '123456789012',
  type: 'STANDARD',
  bucketKeys,
  logging: false,
  tracing: false,
});

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ORDINARY = { start: 'Prepare', next: 'ProcessOrders', child: 'HandleOrder', bucket: 'orders-data' };
type Slot = keyof typeof ORDINARY;

function derive(names: Record<Slot, string>, bucketKeys: Record<string, string>, asText: boolean) {
  const text = definitionText(names.start, names.next, names.child, names.bucket);
  return deriveNeeds(parseDefinition(asText ? text : JSON.parse(text)), context(bucketKeys));
}

describe('prototype member names in definitions', () => {
  const cases = (Object.keys(ORDINARY) as Slot[]).flatMap((slot) =>
    NAMES.flatMap((name) => [true, false].map((asText) => [slot, name, asText] as const)),
  );

  it.each(cases)('a %s named %s (as text: %s) gives the needs of an ordinary name', (slot, name, asText) => {
    const named = { ...ORDINARY, [slot]: name };
    const rename = (value: unknown) => JSON.parse(JSON.stringify(value).split(name).join(ORDINARY[slot]));
    const keyed = (bucket: string) => JSON.parse(`{${JSON.stringify(bucket)}: ${JSON.stringify(KEY)}}`);
    // Without keys no key need appears; with the reader bucket's key, its decrypt need does.
    expect(rename(derive(named, {}, asText))).toEqual(derive(ORDINARY, {}, asText));
    expect(rename(derive(named, keyed(named.bucket), asText))).toEqual(
      derive(ORDINARY, keyed(ORDINARY.bucket), asText),
    );
  });

  it('walks every state of a Next chain whose names are prototype members', () => {
    const text = definitionText('__proto__', 'constructor', 'toString', 'orders-data');
    expect(parseDefinition(text).states.map((s) => s.name)).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it.each(NAMES)('a bucket named %s without a key gets no key need', (bucket) => {
    const sids = derive({ ...ORDINARY, bucket }, {}, true).needs.map((n) => n.sid);
    expect(sids).not.toContain('DecryptItemReaderObjects');
    expect(sids).toContain('ReadItemReaderObjects');
  });

  it.each(NAMES)('a StartAt of %s that is not among the states is an error', (start) => {
    expect(() => parseDefinition({ StartAt: start, States: { Other: { Type: 'Succeed' } } })).toThrow(
      `names "${start}", which is not in States`,
    );
  });
});

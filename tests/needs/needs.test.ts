import { parseDefinition } from '../../lib/asl/definition';
import { parseStateMachineArn } from '../../lib/model/arns';
import { deriveNeeds } from '../../lib/needs';
import type { StateMachineContext } from '../../lib/model/state-machine';
import { leastPrivilegePolicy } from '../../lib/needs/policy';
import { jsonCases } from '../helpers/fixtures';
import { expectGolden } from '../helpers/golden';

interface NeedsCase {
  description: string;
  stateMachineArn: string;
  type?: 'STANDARD' | 'EXPRESS';
  kmsKeys?: Record<string, string>;
  logging?: boolean;
  tracing?: boolean;
  encryptionKey?: string;
  definition: unknown;
}

function contextOf(c: NeedsCase): StateMachineContext {
  const parts = parseStateMachineArn(c.stateMachineArn);
  if (!parts) throw new Error(`bad ARN in fixture: ${c.stateMachineArn}`);
  return {
    ...parts,
    type: c.type ?? 'STANDARD',
    bucketKeys: c.kmsKeys ?? {},
    logging: c.logging ?? false,
    tracing: c.tracing ?? false,
    ...(c.encryptionKey ? { encryptionKey: c.encryptionKey } : {}),
  };
}

describe('deriveNeeds', () => {
  it.each(jsonCases<NeedsCase>('needs'))('%s', (_name, c, expectedFile) => {
    const result = deriveNeeds(parseDefinition(c.definition), contextOf(c));
    expectGolden(expectedFile, {
      description: c.description,
      policy: leastPrivilegePolicy(result.needs),
      needs: result.needs.map((n) => ({
        actions: n.actions,
        resources: n.resources,
        tier: n.tier,
        source: `${n.source.state} ${n.source.field}`,
        ...(n.context ? { context: n.context } : {}),
        ...(n.runtime ? { runtime: n.runtimeExpression } : {}),
      })),
      problems: result.problems,
      unmodeled: result.unmodeled,
      distributedMaps: result.distributedMaps,
    });
  });

  it('derives the same needs from a definition given as JSON text', () => {
    const [, c] = jsonCases<NeedsCase>('needs').find(([name]) => name === 'kms-buckets')!;
    const fromObject = deriveNeeds(parseDefinition(c.definition), contextOf(c));
    const fromText = deriveNeeds(parseDefinition(JSON.stringify(c.definition)), contextOf(c));
    expect(fromText).toEqual(fromObject);
  });

  it('every need says why, with an AWS documentation link', () => {
    for (const [, c] of jsonCases<NeedsCase>('needs')) {
      for (const need of deriveNeeds(parseDefinition(c.definition), contextOf(c)).needs) {
        expect(need.why.text.length).toBeGreaterThan(10);
        expect(need.why.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        expect(need.sid).toMatch(/^[A-Za-z0-9]+$/);
      }
    }
  });
});

// Property-based: arbitrary and mutated hook events always get a contract-valid response, with the token
// echoed, and never an exception.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { MAX_INVOCATIONS } from '../../lib/lambda/hook/contract';
import { lambdaTasksTemplate } from '../../bench/generate';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const stackTemplate = readFileSync(join(EVENTS, 'fixtures', 'orders-stack.yaml'), 'utf8');
const seeds = readdirSync(EVENTS)
  .filter((f) => f.startsWith('hook-'))
  .map((f) => JSON.parse(readFileSync(join(EVENTS, f), 'utf8')) as Record<string, unknown>);
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 5_000 };
const backend = () => new EmbeddedBackend({ stackTemplate });

type Json = unknown;
const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string(),
  fc.string({ minLength: 10_000, maxLength: 20_000 }),
  fc.constant('{"StartAt":'),
  fc.constant('{% $states.input %}'),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
);

/** Walk an event and replace, delete or corrupt one value on a path. */
function mutate(
  event: Record<string, unknown>,
  path: number[],
  replacement: Json,
  remove: boolean,
): Record<string, unknown> {
  const copy = structuredClone(event);
  let node: unknown = copy;
  for (let depth = 0; depth < path.length; depth++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node as object);
    if (keys.length === 0) break;
    const key = keys[(path[depth] as number) % keys.length] as string;
    const last =
      depth === path.length - 1 ||
      typeof (node as Record<string, unknown>)[key] !== 'object' ||
      (node as Record<string, unknown>)[key] === null;
    if (last) {
      if (remove) delete (node as Record<string, unknown>)[key];
      else (node as Record<string, unknown>)[key] = replacement;
      break;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return copy;
}

describe('hook handler under arbitrary input (fast-check)', () => {
  it('answers any JSON value with a contract-valid response', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (event) => {
        const { response } = await handleHookRequest(event, backend, config);
        const token =
          typeof (event as { clientRequestToken?: unknown })?.clientRequestToken === 'string'
            ? (event as { clientRequestToken: string }).clientRequestToken
            : '';
        expectContract(response, token);
      }),
      { numRuns: 200 },
    );
  });

  it('answers mutated real events (fields removed, retyped, huge or broken) with the token echoed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }),
        junk,
        fc.boolean(),
        async (seed, path, replacement, remove) => {
          const event = mutate(seed, path, replacement, remove);
          const { response } = await handleHookRequest(event, backend, config);
          const token = typeof event.clientRequestToken === 'string' ? event.clientRequestToken : '';
          expectContract(response, token);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every message within 4096 characters, even when a request field is huge (found by this fuzzing)', async () => {
    for (const seed of seeds) {
      for (const field of ['targetType', 'targetLogicalId', 'targetName']) {
        const event = structuredClone(seed) as Record<string, any>;
        if (!event.requestData) continue;
        event.requestData[field] = 'X'.repeat(10_000);
        const { response } = await handleHookRequest(event, backend, config);
        expectContract(response, event.clientRequestToken);
      }
    }
  });

  it('never answers SUCCESS for a state machine whose definition is replaced by junk', async () => {
    const seed = seeds.find(
      (e) =>
        (e.requestData as { targetType?: string } | undefined)?.targetType === 'AWS::StepFunctions::StateMachine' &&
        String(e.actionInvocationPoint).startsWith('CREATE'),
    ) as Record<string, any>;
    await fc.assert(
      fc.asyncProperty(
        junk.filter((j) => j !== undefined),
        async (definition) => {
          const event = structuredClone(seed);
          event.requestData.targetModel.resourceProperties.DefinitionString = definition;
          const { response } = await handleHookRequest(event, backend, config);
          expectContract(response, event.clientRequestToken);
          expect(response.hookStatus).not.toBe('SUCCESS');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('answers within any budget: contract-valid, IN_PROGRESS only before the last invocation, never SUCCESS unchecked', async () => {
    const stackSeed = seeds.find(
      (e) => (e.requestData as { targetType?: string } | undefined)?.targetType === 'STACK',
    ) as Record<string, unknown>;
    const large = lambdaTasksTemplate(2_000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(fc.integer({ min: -1, max: 5 }), junk),
        fc.oneof(fc.constant(null), junk, fc.constant({ done: {} })),
        async (budgetMs, invocation, callbackContext) => {
          const event = { ...structuredClone(stackSeed), requestContext: { invocation, callbackContext } };
          const { response } = await handleHookRequest(event, () => new EmbeddedBackend({ stackTemplate: large }), {
            ...config,
            budgetMs,
          });
          expectContract(response, String(stackSeed.clientRequestToken));
          // 2,000 tasks never fit in 30 ms: the answer is "continue" or a clear failure, never a verdict.
          expect(response.hookStatus).not.toBe('SUCCESS');
          const last = typeof invocation === 'number' && invocation >= MAX_INVOCATIONS;
          if (last) expect(response).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
          if (response.hookStatus === 'IN_PROGRESS') expect(response.callbackContext).toBeDefined();
        },
      ),
      { numRuns: 25 },
    );
  });
});

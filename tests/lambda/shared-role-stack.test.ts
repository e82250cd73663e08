// A stack whose state machines share one role: the hook checks them as one unit, so the role's grants are judged
// against every machine's needs (checked one by one, each machine's bucket looked over-broad to the others).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedTemplate } from '../../bench/generate';
import { handleHookRequest } from '../../lib/lambda/hook/handle';
import { planFor } from '../../lib/lambda/hook/plans';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { expectContract } from '../helpers/hook';

const EVENTS = join(__dirname, '..', '..', 'events');
const config = { failOn: 'error' as const, onError: 'fail' as const, budgetMs: 20_000 };
const event = () => JSON.parse(readFileSync(join(EVENTS, 'hook-stack-create.json'), 'utf8'));

describe('the hook on a stack of machines sharing a role', () => {
  it('plans one unit per role, counting its machines', async () => {
    const template = generatedTemplate(3, { sharedRole: true });
    const plan = await planFor(event(), 'STACK', new EmbeddedBackend({ stackTemplate: template }));
    expect(plan.units.map((u) => [u.id, u.machines])).toEqual([['Machine0', 3]]);
    const separate = await planFor(event(), 'STACK', new EmbeddedBackend({ stackTemplate: generatedTemplate(3) }));
    expect(separate.units.map((u) => u.id)).toEqual(['Machine0', 'Machine1', 'Machine2']);
  });

  it("does not call a grant over-broad that another machine on the role needs, and reports the role's grants once", async () => {
    const request = event();
    const { response, findings } = await handleHookRequest(
      request,
      () => new EmbeddedBackend({ stackTemplate: generatedTemplate(3, { sharedRole: true }) }),
      config,
    );
    expectContract(response, request.clientRequestToken);
    const broad = findings.filter((f) => f.rule === 'over-broad-grant');
    expect(broad.some((f) => f.messageId === 'otherBucket')).toBe(false);
    expect(new Set(broad.map((f) => f.stateMachine))).toEqual(new Set(['Machine0']));
  });
});

// Need statuses from request evaluations (lib/checks/analyze.ts): unknown is neither denied nor allowed.
import { checkStateMachines } from '../../lib/checks/analyze';
import type { Evaluation } from '../../lib/iam';
import type { RoleModel, StateMachineModel } from '../../lib/model/state-machine';
import type { Simulator } from '../../lib/ports/simulator';

const ROLE = 'arn:aws:iam::123456789012:role/r';
const machine = (role: RoleModel): StateMachineModel => ({
  id: 'M',
  arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
  context: {
    name: 'm',
    partition: 'aws',
    region: 'us-east-1',
    account: '123456789012',
    type: 'STANDARD',
    bucketKeys: {},
    logging: false,
    tracing: false,
  },
  definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
  role,
  source: 'template.yaml',
  suppressions: [],
  unverifiable: [],
});
const logging = (m: StateMachineModel): StateMachineModel => ({ ...m, context: { ...m.context, logging: true } });
const answering = (evaluation: Evaluation): Simulator => ({
  simulate: async (_role, requests) => requests.map(() => evaluation),
});
const UNKNOWN: Evaluation = {
  decision: 'unknown',
  matched: [],
  missingContextKeys: [],
  unknown: [{ layer: 'identity', policyId: 'p', index: 0, effect: 'Deny', statement: {}, keys: ['aws:SourceIp'] }],
};
const DENIED: Evaluation = { decision: 'implicitDeny', matched: [], missingContextKeys: [], blockedBy: 'identity' };

async function statuses(role: RoleModel, evaluation: Evaluation) {
  const { analyses, findings } = await checkStateMachines([logging(machine(role))], {
    simulator: answering(evaluation),
  });
  return { statuses: analyses[0]?.needResults.map((r) => r.status), rules: findings.map((f) => f.rule) };
}

describe('need status', () => {
  it('is unknown, reported as unverifiable and never as missing, when a request cannot be decided', async () => {
    const { statuses: s, rules } = await statuses({ arn: ROLE, identityPolicies: [], unknown: [] }, UNKNOWN);
    expect(s).toEqual(['unknown']);
    expect(rules).toContain('unverifiable');
    expect(rules).not.toContain('missing-permission');
  });

  it('is unproven for a denial when part of the role could not be read', async () => {
    const role = { arn: ROLE, identityPolicies: [], unknown: ['role r could not be read (AccessDenied)'] };
    expect((await statuses(role, DENIED)).statuses).toEqual(['unproven']);
  });

  it('stays denied when IAM decided on the whole role, even if dmap-guard could not read it', async () => {
    const role = { arn: ROLE, identityPolicies: [], unknown: ['role r could not be read (AccessDenied)'] };
    const { statuses: s, rules } = await statuses(role, { ...DENIED, wholeRole: true });
    expect(s).toEqual(['denied']);
    expect(rules).toContain('missing-permission');
  });
});

// The check pipeline: needs → simulated requests → rules → findings (suppressions applied).
import { DefinitionError, parseDefinition } from '../asl/definition';
import type { AccessRequest } from '../iam';
import type { Catalogue } from '../iam/catalogue';
import type { StateMachineModel } from '../model/state-machine';
import { deriveNeeds } from '../needs';
import type { Need, NeedsResult } from '../needs/types';
import { RULES } from './registry';
import { needRequests } from './requests';
import type { Simulator } from '../ports/simulator';
import { compileRole } from './role';
import { runRules } from './run-rules';
import type { Finding, MachineAnalysis, NeedResult, Rule } from './types';

const EMPTY_NEEDS: NeedsResult = { needs: [], problems: [], unmodeled: [], distributedMaps: [] };

function readNeeds(machine: StateMachineModel): {
  needs: NeedsResult;
  definitionError?: { path: string; message: string };
} {
  if (machine.definitionUnavailable !== undefined)
    return { needs: EMPTY_NEEDS, definitionError: { path: '$', message: machine.definitionUnavailable } };
  try {
    return { needs: deriveNeeds(parseDefinition(machine.definition), machine.context) };
  } catch (error) {
    if (error instanceof DefinitionError)
      return { needs: EMPTY_NEEDS, definitionError: { path: error.path, message: error.detail } };
    throw error;
  }
}

export interface CheckOptions {
  simulator: Simulator;
  rules?: Rule[];
  /** IAM catalogue (lib/iam/load-catalogue.ts) for the catalogue checks; without it they find nothing. */
  catalogue?: Catalogue;
}

/** Analyse state machines and run every rule on each; machines sharing a role are judged against all their needs. */
export async function checkStateMachines(
  machines: StateMachineModel[],
  options: CheckOptions,
): Promise<{ findings: Finding[]; analyses: MachineAnalysis[] }> {
  const prepared = machines.map((machine) => ({ machine, ...readNeeds(machine) }));
  const needsByRole = new Map<string, Need[]>();
  for (const { machine, needs } of prepared) {
    if (!machine.role) continue;
    needsByRole.set(machine.role.arn, [...(needsByRole.get(machine.role.arn) ?? []), ...needs.needs]);
  }

  const analyses: MachineAnalysis[] = [];
  for (const { machine, needs, definitionError } of prepared) {
    const role = machine.role;
    const needResults: NeedResult[] = [];
    if (role) {
      const simulated = needs.needs.filter((need) => !need.runtime);
      const requests = simulated.map((need) => needRequests(need, machine, role));
      const evaluations = await options.simulator.simulate(role, requests.flat());
      let offset = 0;
      simulated.forEach((need, index) => {
        const own = requests[index] as AccessRequest[];
        const results = own.map((request, i) => ({
          request,
          evaluation: evaluations[offset + i] as (typeof evaluations)[number],
        }));
        offset += own.length;
        const decisions = results.map((r) => r.evaluation.decision);
        const status = decisions.every((d) => d === 'allowed')
          ? 'allowed'
          : decisions.includes('explicitDeny') || role.unknown.length === 0
            ? 'denied'
            : 'unproven';
        needResults.push({ need, status, results });
      });
      for (const need of needs.needs.filter((n) => n.runtime))
        needResults.push({ need, status: 'runtime', results: [] });
    } else {
      for (const need of needs.needs)
        needResults.push({ need, status: need.runtime ? 'runtime' : 'unproven', results: [] });
    }
    const analysis: MachineAnalysis = {
      machine,
      needs,
      needResults,
      roleNeeds: role ? (needsByRole.get(role.arn) ?? []) : needs.needs,
      policyProblems: role ? compileRole(role).problems : [],
    };
    if (role) analysis.role = role;
    if (options.catalogue) analysis.catalogue = options.catalogue;
    if (definitionError) analysis.definitionError = definitionError;
    analyses.push(analysis);
  }

  const findings: Finding[] = [];
  for (const analysis of analyses) findings.push(...runRules(analysis, options.rules ?? RULES));
  return { findings, analyses };
}

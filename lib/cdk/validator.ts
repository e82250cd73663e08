// dmap-guard as an AWS CDK policy validation plugin: `cdk synth` checks every synthesized template.
// CDK calls validate() synchronously (a returned Promise fails synth), so this runs the offline pipeline
// synchronously: template analysis, the embedded evaluator, the rules.
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  PolicyViolationBeta1,
} from 'aws-cdk-lib';
import { analyzeTemplate } from '../cfn/machines';
import { readDocumentFile } from '../cfn/load';
import { checkStateMachinesSync } from '../checks/analyze';
import { RULES } from '../checks/registry';
import type { Finding } from '../checks/types';
import { parseResourcePolicies } from '../inputs/resource-policies';
import { partitionOf } from '../model/arns';
import { InputError, messageOf } from '../model/errors';
import type { ResourcePolicies } from '../model/resource-policies';
import type { StateMachineModel } from '../model/state-machine';
import { EmbeddedSimulator } from '../offline/simulator';
import { buildReport, failsAt, type FailOn } from '../report/report';
import { assetTexts, stackTemplates } from './templates';

// The package version, inlined by the esbuild bundle; "0.0.0" from source (CDK wants semver).
declare const DMAP_GUARD_VERSION: string | undefined;
const VERSION = typeof DMAP_GUARD_VERSION === 'string' ? DMAP_GUARD_VERSION : '0.0.0';

export interface DmapGuardValidatorOptions {
  /** Synth fails when a finding reaches this severity (default error); `never` only reports. */
  failOn?: FailOn;
  /** Region and account for environment-agnostic stacks (defaults us-east-1, 123456789012). */
  region?: string;
  account?: string;
  partition?: string;
  /** SSE-KMS key ARN of buckets outside the app, by bucket name. */
  bucketKeys?: Record<string, string>;
  /**
   * Key and bucket policies of keys and buckets outside the app, as the `--resource-policies` file of the CLI has
   * them: key ARN or bucket ARN → the policy document, its JSON text, null (the bucket has no bucket policy), or
   * the output of `aws kms get-key-policy` / `aws s3api get-bucket-policy` (with optional Grants and Account).
   */
  resourcePolicies?: Record<string, unknown>;
}

const RESOURCE_POLICIES_OPTION = 'DmapGuardValidator option resourcePolicies';

/** The resourcePolicies option, checked as the CLI checks its file; errors name the option and the path in it. */
function resourcePoliciesOption(value: unknown): ResourcePolicies {
  const prototype = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null)
    throw new InputError(RESOURCE_POLICIES_OPTION, 'expected a plain object of key or bucket ARN → policy', {
      path: '$',
    });
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InputError(RESOURCE_POLICIES_OPTION, `not serializable as JSON: ${messageOf(error)}`, { path: '$' });
  }
  return parseResourcePolicies(text, RESOURCE_POLICIES_OPTION);
}

/** The stable context (aws-cdk-lib ≥ 2.251) adds each stack's environment; older ones have only templatePaths. */
interface StackTemplate {
  templatePath: string;
  accountId?: string;
  region?: string;
}

export class DmapGuardValidator implements IPolicyValidationPluginBeta1 {
  readonly name = 'dmap-guard';
  readonly version = VERSION;
  readonly ruleIds = RULES.map((rule) => rule.id);
  private readonly failOn: FailOn;
  private readonly resourcePolicies: ResourcePolicies | undefined;

  constructor(private readonly options: DmapGuardValidatorOptions = {}) {
    this.failOn = options.failOn ?? 'error';
    // Checked here, so a malformed option fails where the app is built, not in the middle of synth.
    this.resourcePolicies =
      options.resourcePolicies !== undefined ? resourcePoliciesOption(options.resourcePolicies) : undefined;
  }

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const stacks = (context as { stackTemplates?: StackTemplate[] }).stackTemplates ?? [];
    const environment = new Map(stacks.map((stack) => [stack.templatePath, stack]));
    const machines: StateMachineModel[] = [];
    for (const templatePath of context.templatePaths) {
      const region = environment.get(templatePath)?.region ?? this.options.region ?? 'us-east-1';
      const account = environment.get(templatePath)?.accountId ?? this.options.account ?? '123456789012';
      const partition = this.options.partition ?? partitionOf(region);
      for (const file of stackTemplates(templatePath)) {
        const doc = readDocumentFile(file);
        machines.push(
          ...analyzeTemplate(doc, {
            region,
            account,
            partition,
            bucketKeys: this.options.bucketKeys ?? {},
            ...(this.resourcePolicies ? { resourcePolicies: this.resourcePolicies } : {}),
            s3Definitions: assetTexts(templatePath, doc.value, { account, region, partition }),
          }),
        );
      }
    }
    const { findings, analyses } = checkStateMachinesSync(machines, { simulator: new EmbeddedSimulator() });
    const report = buildReport(analyses, findings, this.failOn);
    return {
      success: !report.summary.failed,
      violations: report.findings.filter((f) => f.suppressed === undefined).map((f) => this.violation(f)),
      pluginVersion: VERSION,
    };
  }

  private violation(finding: Finding): PolicyViolationBeta1 {
    const origin = finding.origin;
    // Origin paths are ["Resources", id, "Properties", …]; CDK wants the part inside the resource.
    const inside = origin && origin.path[0] === 'Resources' ? origin.path.slice(2) : [];
    const where = [finding.state !== '$' && finding.state !== '' ? `at ${finding.state}` : '', finding.action]
      .filter((part) => part !== '')
      .join(', ');
    return {
      ruleName: finding.rule,
      description: `${finding.stateMachine}${where ? ` (${where})` : ''}: ${finding.message}`,
      fix: finding.fix,
      // CDK re-derives success from "error" severities when rules are acknowledged, so "error" means "fails at failOn".
      severity: failsAt(finding, this.failOn) ? 'error' : finding.severity === 'error' ? 'warning' : finding.severity,
      ruleMetadata: { severity: finding.severity },
      violatingResources: [
        {
          resourceLogicalId: origin?.logicalId ?? finding.stateMachine,
          templatePath: origin?.file ?? finding.template,
          locations: inside.length > 0 ? [inside.join('/')] : [],
        },
      ],
    };
  }
}

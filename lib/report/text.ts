// Text output: findings grouped per state machine, most severe first, with the least-privilege policy to paste.
import { stringify } from 'yaml';
import type { Finding } from '../checks/types';
import { groupByMachine, machineKey, type Report } from './report';
import { findingsInTemplateTerms, policyInTemplateTerms, type FixRewriters } from './terms';

const LABEL: Record<Finding['severity'], string> = { error: 'error  ', warning: 'warning', info: 'info   ' };

type Paint = (text: string) => string;

export interface TextOptions {
  /** ANSI colours (the CLI passes picocolors'); plain text without. */
  colors?: { red: Paint; yellow: Paint; cyan: Paint; green: Paint; bold: Paint };
  /** Terminal width to wrap prose at; no wrapping without. */
  width?: number;
  /** Stack (CDK construct path) of each template file, shown beside it. */
  stacks?: ReadonlyMap<string, string>;
  /** Fixes and policies in the terms of the template each state machine comes from. */
  rewriters?: FixRewriters;
}

/** Wraps prose lines (those indented by exactly `base`) at spaces only, so ARNs and paths stay whole;
 *  code (deeper lines, list items) is left as it is. */
export function wrap(text: string, width: number | undefined, base: number, hanging: number): string {
  if (width === undefined) return text;
  const lead = ' '.repeat(base);
  return text
    .split('\n')
    .map((line) => {
      const body = line.slice(base);
      if (line.length <= width || !line.startsWith(lead) || /^(\s|- )/.test(body)) return line;
      const lines: string[] = [];
      let current = '';
      for (const word of body.split(' ')) {
        const prefix = lines.length === 0 ? lead : ' '.repeat(hanging);
        if (current !== '' && prefix.length + current.length + 1 + word.length > width) {
          lines.push(prefix + current);
          current = word;
        } else current = current === '' ? word : `${current} ${word}`;
      }
      lines.push((lines.length === 0 ? lead : ' '.repeat(hanging)) + current);
      return lines.join('\n');
    })
    .join('\n');
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`))
    .join('\n');
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const { colors: c, width } = options;
  const paint = (severity: Finding['severity'], text: string) =>
    !c ? text : severity === 'error' ? c.red(text) : severity === 'warning' ? c.yellow(text) : c.cyan(text);
  const verdict = (text: string) =>
    !c ? text : text === 'FAIL' ? c.bold(c.red(text)) : text === 'PASS' ? c.green(text) : c.yellow(text);
  const out: string[] = [];
  const byMachine = groupByMachine(findingsInTemplateTerms(report.findings, options.rewriters));
  for (const machine of report.stateMachines) {
    const findings = byMachine.get(machineKey(machine.template, machine.stateMachine)) ?? [];
    const active = findings.filter((f) => !f.suppressed);
    const stack = options.stacks?.get(machine.template);
    const header = `${machine.template}${stack !== undefined ? ` (stack ${stack})` : ''}: ${machine.stateMachine} (${machine.type}, ${machine.distributedMaps} Distributed Map${machine.distributedMaps === 1 ? '' : 's'}) — `;
    out.push(`${wrap(header, width, 0, 2)}${verdict(machine.verdict.toUpperCase())}`);
    if (machine.role) out.push(`  role ${machine.role}`);
    for (const finding of active) {
      // file:line:col, as compilers print it, so that editors and terminals link to the place.
      const where = finding.line !== undefined ? ` ${finding.template}:${finding.line}:${finding.column ?? 1}` : '';
      const label = LABEL[finding.severity];
      const line = wrap(`  ${label} ${finding.rule}${where}: ${finding.message}`, width, 2, 10);
      out.push(line.replace(label, paint(finding.severity, label)));
      if (finding.severity !== 'info') out.push(wrap(indent(`fix: ${finding.fix}`, 10), width, 10, 15));
    }
    const suppressed = findings.length - active.length;
    if (suppressed > 0) out.push(`  (${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed)`);
    if (
      active.some(
        (f) =>
          f.rule === 'missing-permission' ||
          f.rule === 'over-broad-grant' ||
          f.rule === 'missing-recommended-permission',
      )
    ) {
      const policy = policyInTemplateTerms(
        machine.leastPrivilegePolicy,
        options.rewriters?.(machine.template, machine.stateMachine),
      ) ?? { language: 'YAML', text: stringify(machine.leastPrivilegePolicy).trimEnd() };
      out.push(
        wrap(
          `  Least-privilege policy for this state machine (${policy.language}, paste as a PolicyDocument):`,
          width,
          2,
          4,
        ),
      );
      out.push(indent(policy.text, 4));
    }
    out.push('');
  }
  if (report.stateMachines.length === 0)
    out.push('No state machine found (AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine).');
  out.push(wrap(summaryLine(report), width, 0, 2));
  return `${out.join('\n')}\n`;
}

/** The closing line: counts and the verdict of the run. */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const unverified = s.unverified;
  return `${s.stateMachines} state machine${s.stateMachines === 1 ? '' : 's'}: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info${s.suppressed > 0 ? `, ${s.suppressed} suppressed` : ''} — ${s.failed ? `FAILED (--fail-on ${s.failOn})` : unverified > 0 ? `UNVERIFIED: ${unverified} state machine${unverified === 1 ? '' : 's'} could not be verified (the unverifiable findings say what to do)` : 'passed'}`;
}

// Printing a check or audit report: the format, --quiet, --output, colour and width from the terminal.
import pc from 'picocolors';
import { RULES } from '../checks/registry';
import type { Finding } from '../checks/types';
import { failsAt, renderJson, type Report } from '../report/report';
import type { FixRewriters } from '../report/terms';
import { renderSarif } from '../report/sarif';
import { renderText, summaryLine } from '../report/text';
import type { REPORT_FORMATS } from './args';
import type { CliIO } from './io';
import { writeAtomically } from './output';
import { VERSION } from './version';

export interface OutputOptions {
  format?: (typeof REPORT_FORMATS)[number];
  output?: string;
  quiet?: boolean;
}

export interface ReportContext {
  stacks?: ReadonlyMap<string, string>;
  isExternalSuppression?: (finding: Finding) => boolean;
  /** Fixes in the terms of each finding's template. */
  rewriters?: FixRewriters;
}

/** Colour on a terminal only, never with NO_COLOR; FORCE_COLOR forces it (as picocolors reads them, less its CI rule). */
export function useColour(io: CliIO, toFile: boolean): boolean {
  const env = io.env ?? {};
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR) return true;
  return !toFile && io.terminal?.stdoutIsTTY === true && env.TERM !== 'dumb';
}

/** --quiet, as checkov's: only what makes the run fail (errors at the default --fail-on), then the summary line. */
function quietText(report: Report): string {
  const threshold = report.summary.failOn === 'never' ? 'error' : report.summary.failOn;
  const lines = report.findings
    .filter((f) => failsAt(f, threshold))
    .map((f) => {
      const where = f.line !== undefined ? `${f.template}:${f.line}:${f.column ?? 1}` : f.template;
      return `${where}: ${f.severity} ${f.rule} (${f.stateMachine}): ${f.message}`;
    });
  return `${[...lines, summaryLine(report)].join('\n')}\n`;
}

export function printReport(report: Report, options: OutputOptions, context: ReportContext, io: CliIO): void {
  const format = options.format ?? 'text';
  const toFile = options.output !== undefined;
  let text: string;
  if (format === 'json') text = renderJson(report, context.rewriters);
  else if (format === 'sarif')
    text = renderSarif(report, RULES, VERSION, {
      cwd: process.cwd(),
      ...(context.isExternalSuppression ? { isExternalSuppression: context.isExternalSuppression } : {}),
      ...(context.stacks ? { stacks: context.stacks } : {}),
    });
  else if (options.quiet) text = quietText(report);
  else {
    const columns = toFile ? undefined : io.terminal?.stdoutIsTTY ? io.terminal.columns : undefined;
    text = renderText(report, {
      ...(useColour(io, toFile) ? { colors: pc.createColors(true) } : {}),
      ...(columns !== undefined ? { width: columns } : {}),
      ...(context.stacks ? { stacks: context.stacks } : {}),
      ...(context.rewriters ? { rewriters: context.rewriters } : {}),
    });
  }
  if (options.output !== undefined) writeAtomically(options.output, text);
  else io.out(text);
}

// One entry point for every report format the CLI prints.
import { RULES } from '../checks/registry';
import { renderJson, type Report } from './report';
import { renderSarif } from './sarif';
import { renderText } from './text';

export type ReportFormat = 'text' | 'json' | 'sarif';

export function renderReport(report: Report, format: ReportFormat, version: string): string {
  if (format === 'json') return renderJson(report);
  if (format === 'sarif') return renderSarif(report, RULES, version);
  return renderText(report);
}

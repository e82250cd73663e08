// Options check and audit share.
import { Option } from '@commander-js/extra-typings';
import { choice, FAIL_ON, REPORT_FORMATS, single } from '../args';

export const formatOption = () =>
  new Option('--format <text|json|sarif>', 'output format (default text)').argParser(choice(REPORT_FORMATS));
export const failOnOption = () =>
  new Option(
    '--fail-on <error|unverified|warning|info|never>',
    'exit 1 when a finding reaches this severity (default error)',
  ).argParser(choice(FAIL_ON));
export const outputOption = () =>
  new Option('--output <file>', 'write the report to this file (atomically: all of it or nothing)').argParser(single);
export const quietOption = () =>
  new Option('--quiet', 'text output: only the findings that fail the run, and the summary line');

// The integration table: every optimized integration and pattern the Step Functions guide lists, with its policy.
import { ANALYTICS } from './analytics';
import { COMPUTE } from './compute';
import { EMR_ROWS } from './emr';
import { MESSAGING } from './messaging';
import { ML } from './ml';
import type { IntegrationRow, Pattern } from './types';

export type { IntegrationRow, Pattern } from './types';

export const INTEGRATIONS: readonly IntegrationRow[] = [...MESSAGING, ...COMPUTE, ...ANALYTICS, ...EMR_ROWS, ...ML];

const SUFFIX: Record<Pattern, string> = {
  'request-response': '',
  sync: '.sync',
  'sync:2': '.sync:2',
  waitForTaskToken: '.waitForTaskToken',
};

/** The resource suffix of a row: `ecs:runTask.sync`. */
export function rowResource(row: IntegrationRow): string {
  return `${row.integration}${SUFFIX[row.pattern]}`;
}

const BY_RESOURCE = new Map(INTEGRATIONS.map((row) => [rowResource(row), row]));

/** The row for `service:api` and a pattern suffix ('' | '.sync' | '.sync:2' | '.waitForTaskToken'). */
export function findIntegration(integration: string, suffix: string): IntegrationRow | undefined {
  return BY_RESOURCE.get(`${integration}${suffix}`);
}

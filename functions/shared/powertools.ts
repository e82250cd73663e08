// Powertools: one root logger per execution environment; each invocation logs through a child logger and
// publishes through a metrics object of its own, so invocations that overlap in one process (tests,
// `sam local`) never share keys or stored metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'dmap-guard' });

/** A logger whose keys label this invocation only (the root logger's keys are never changed). */
export function invocationLogger(keys: Record<string, unknown>): Logger {
  return logger.createChild({ persistentKeys: keys });
}

/** Metrics stored and published for this invocation only. */
export function invocationMetrics(): Metrics {
  return new Metrics({ namespace: 'DmapGuard', serviceName: 'dmap-guard' });
}

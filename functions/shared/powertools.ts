// Powertools singletons, built once per execution environment.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({ serviceName: 'dmap-guard' });
export const metrics = new Metrics({ namespace: 'DmapGuard', serviceName: 'dmap-guard' });

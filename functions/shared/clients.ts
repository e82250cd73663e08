// AWS clients at module scope: created once per execution environment, reused across invocations.
import { createClients } from '../../lib/aws/clients';

export const clients = createClients({ ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}) });

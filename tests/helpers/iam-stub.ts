// A loopback stand-in for the IAM query API (SimulatePrincipalPolicy only), with injectable faults and latency.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IAMClient } from '@aws-sdk/client-iam';
import { IamSimulator, SimulationCache, type IamSimulatorOptions } from '../../lib/aws/simulate';
import { EmbeddedBackend, type EmbeddedOptions } from '../../lib/offline/backend';

export type Fault = 'none' | 'throttle-twice' | 'server-error' | 'stall' | 'malformed' | 'deny-start' | 'paginate';

export interface IamStub {
  url: string;
  fault: Fault;
  latencyMs: number;
  requests: number;
  /** Attempts per distinct request body: an SDK retry sends the same body again. */
  attempts: Map<string, number>;
  /** The most calls that were in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${inner}`;

function results(actions: string[], resources: string[], deny: (action: string) => boolean): string {
  return actions
    .map((action) => {
      const decision = deny(action) ? 'implicitDeny' : 'allowed';
      const specific = resources
        .map(
          (r) =>
            `<member><EvalResourceName>${r}</EvalResourceName><EvalResourceDecision>${decision}</EvalResourceDecision><MatchedStatements/><MissingContextValues/></member>`,
        )
        .join('');
      return `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>${decision}</EvalDecision><MatchedStatements/><MissingContextValues/><ResourceSpecificResults>${specific}</ResourceSpecificResults></member>`;
    })
    .join('');
}

export async function startIamStub(): Promise<IamStub> {
  const sockets = new Set<import('node:net').Socket>();
  const stub: IamStub = {
    url: '',
    fault: 'none',
    latencyMs: 0,
    requests: 0,
    attempts: new Map(),
    maxInFlight: 0,
    close: async () => undefined,
  };
  let inFlight = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const arrival = ++stub.requests;
      stub.attempts.set(body, (stub.attempts.get(body) ?? 0) + 1);
      stub.maxInFlight = Math.max(stub.maxInFlight, ++inFlight);
      response.on('close', () => inFlight--);
      const form = new URLSearchParams(body);
      const list = (prefix: string) =>
        [...form.entries()].filter(([k]) => k.startsWith(`${prefix}.member.`)).map(([, v]) => v);
      const actions = list('ActionNames');
      const resources = list('ResourceArns');
      const reply = () => {
        if (stub.fault === 'stall') return; // never answers
        if (stub.fault === 'server-error' || (stub.fault === 'throttle-twice' && arrival <= 2)) {
          const code = stub.fault === 'server-error' ? 'ServiceFailure' : 'Throttling';
          response.writeHead(stub.fault === 'server-error' ? 503 : 400, { 'content-type': 'text/xml' });
          response.end(
            xml(
              `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${stub.fault === 'server-error' ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>injected ${code}</Message></Error><RequestId>stub</RequestId></ErrorResponse>`,
            ),
          );
          return;
        }
        if (stub.fault === 'malformed') {
          response.writeHead(200, { 'content-type': 'text/xml' });
          response.end(
            '<SimulatePrincipalPolicyResponse><SimulatePrincipalPolicyResult><EvaluationResults><member><EvalActionName>',
          );
          return;
        }
        const firstPage = stub.fault === 'paginate' && !form.has('Marker');
        const shown = firstPage ? actions.slice(0, 1) : stub.fault === 'paginate' ? actions.slice(1) : actions;
        const truncation = firstPage
          ? '<IsTruncated>true</IsTruncated><Marker>page-2</Marker>'
          : '<IsTruncated>false</IsTruncated>';
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(
          xml(
            `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult>${truncation}<EvaluationResults>${results(shown, resources, (a) => stub.fault === 'deny-start' && a === 'states:StartExecution')}</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`,
          ),
        );
      };
      if (stub.latencyMs > 0) setTimeout(reply, stub.latencyMs);
      else reply();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return stub;
}

/**
 * The offline backend, but SimulatePrincipalPolicy goes through the real SDK to the stub, with one answer cache per
 * instance as AwsBackend has; `simulation` sets the calls in flight (1 reproduces the serial calls of before).
 */
export class StubbedIamBackend extends EmbeddedBackend {
  readonly simulators: IamSimulator[] = [];
  private readonly simulations = new SimulationCache();
  constructor(
    private readonly iam: IAMClient,
    options: EmbeddedOptions,
    private readonly signal?: AbortSignal,
    private readonly simulation: Pick<IamSimulatorOptions, 'concurrency'> = {},
  ) {
    super(options);
  }
  override simulator(pending: unknown[] = []): IamSimulator {
    const simulator = new IamSimulator(this.iam, pending, this.signal, {
      ...this.simulation,
      cache: this.simulations,
    });
    this.simulators.push(simulator);
    return simulator;
  }
}

export function stubClient(stub: IamStub, maxAttempts = 3): IAMClient {
  return new IAMClient({
    endpoint: stub.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'stub', secretAccessKey: 'stub' },
    maxAttempts,
  });
}

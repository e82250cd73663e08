// audit at account scale against moto_server: 200 state machines over 10 roles sharing one managed policy and
// 10 SSE-KMS buckets, read through a counting proxy (AWS calls by operation, with an injected latency): audit as it
// was before issue 16 item 11 (each machine read on its own, one after another), then audit now. `--evaluator local`:
// moto has no SimulatePrincipalPolicy. Skipped with a note when moto_server cannot be started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  CreateRoleCommand,
  CreatePolicyCommand,
  AttachRolePolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { AwsBackend } from '../lib/aws/backend';
import { createClients, type AwsClients } from '../lib/aws/clients';
import { checkStateMachines } from '../lib/checks/analyze';
import { main } from '../lib/cli/main';
import { deployedModel } from '../lib/inputs/deployed';
import { EmbeddedSimulator } from '../lib/offline/simulator';

const ROLES = 10;
const MACHINES = 200;
/** Per AWS call, as a round trip to a Region costs; moto on loopback answers in about a millisecond. */
const LATENCY_MS = 20;
const ACCOUNT = '123456789012';

/** moto_server on a free loopback port (or MOTO_ENDPOINT), as tests/integration/moto-setup.js starts it. */
async function startMoto(): Promise<{ endpoint: string; stop(): void } | string> {
  if (process.env.MOTO_ENDPOINT) return { endpoint: process.env.MOTO_ENDPOINT, stop: () => undefined };
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
  let child: ChildProcess;
  let failed: string | undefined;
  try {
    child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  } catch (error) {
    return `moto_server could not be started (${String(error)})`;
  }
  child.on('error', (error) => (failed = `moto_server could not be started (${error.message})`));
  child.on('exit', (code) => (failed ??= `moto_server exited with status ${code}`));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && failed === undefined) {
    try {
      if ((await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })).ok)
        return { endpoint, stop: () => child.kill() };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  return failed ?? `moto_server did not answer at ${endpoint} within 30 s`;
}

/** The AWS operation a request names: X-Amz-Target (JSON protocols), Action (query protocols), or the S3 REST call. */
function operationOf(request: IncomingMessage, body: string): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = new URLSearchParams(body).get('Action');
  if (action) return action;
  const url = new URL(request.url ?? '/', 'http://proxy');
  if (request.method === 'GET' && url.searchParams.has('encryption')) return 'GetBucketEncryption';
  return `S3 ${request.method} ${[...url.searchParams.keys()].join('&') || 'object'}`;
}

interface CountingProxy {
  url: string;
  counts: Map<string, number>;
  close(): Promise<void>;
}

async function startCountingProxy(target: string, latencyMs: number): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(request, body.toString());
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      setTimeout(() => {
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: request.method,
            path: request.url,
            headers: request.headers,
          },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        forward.on('error', (error) => response.destroy(error));
        forward.end(body);
      }, latencyMs);
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        // The SDK keeps connections alive; close would wait for them.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** 10 roles (inline policy + one shared managed policy), 10 SSE-KMS buckets, 200 machines spread over the roles. */
async function seed(clients: AwsClients): Promise<void> {
  const key = await clients.kms.send(new CreateKeyCommand({}));
  const keyId = key.KeyMetadata?.KeyId ?? '';
  const shared = await clients.iam.send(
    new CreatePolicyCommand({
      PolicyName: 'dmap-shared',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 'kms:*'], Resource: '*' }],
      }),
    }),
  );
  for (let r = 0; r < ROLES; r++) {
    const bucket = `dmap-bench-${r}`;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          // A key id, not an ARN: the audit asks KMS for the key ARN.
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId } }],
        },
      }),
    );
    const RoleName = `dmap-bench-role-${r}`;
    await clients.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));
    await clients.iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: 'machines',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' },
            { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
          ],
        }),
      }),
    );
    await clients.iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: shared.Policy?.Arn }));
  }
  for (let m = 0; m < MACHINES; m++) {
    const r = m % ROLES;
    const bucket = `dmap-bench-${r}`;
    await clients.sfn.send(
      new CreateStateMachineCommand({
        name: `dmap-bench-${m}`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/dmap-bench-role-${r}`,
        definition: JSON.stringify({
          StartAt: 'Map',
          States: {
            Map: {
              Type: 'Map',
              ItemReader: {
                Resource: 'arn:aws:states:::s3:listObjectsV2',
                Parameters: { Bucket: bucket, Prefix: `in/${m}/` },
              },
              ItemProcessor: {
                ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
                StartAt: 'P',
                States: { P: { Type: 'Pass', End: true } },
              },
              ResultWriter: {
                Resource: 'arn:aws:states:::s3:putObject',
                Parameters: { Bucket: bucket, Prefix: `out/${m}` },
              },
              End: true,
            },
          },
        }),
      }),
    );
  }
}

/** audit as it was: every machine read on its own backend (nothing shared), one after another. */
async function auditBefore(endpoint: string): Promise<void> {
  const clients = createClients({ region: 'us-east-1', endpoint });
  const lister = new AwsBackend(clients);
  const machines = [];
  for (const arn of await lister.listStateMachines()) machines.push(await deployedModel(arn, new AwsBackend(clients)));
  await checkStateMachines(machines, {
    simulator: new EmbeddedSimulator(),
    bucketKey: (bucket) => lister.bucketKey(bucket),
  });
}

/** The audit command itself. */
async function auditNow(endpoint: string): Promise<void> {
  let stderr = '';
  const code = await main(
    ['audit', '--endpoint-url', endpoint, '--region', 'us-east-1', '--evaluator', 'local', '--format', 'json'],
    { out: () => undefined, err: (line) => (stderr += `${line}\n`) },
  );
  if (code === 2) throw new Error(`audit failed: ${stderr.trim()}`);
}

const ROLE_READS = [
  'GetRole',
  'ListRolePolicies',
  'GetRolePolicy',
  'ListAttachedRolePolicies',
  'GetPolicy',
  'GetPolicyVersion',
];

function describe(counts: Map<string, number>, seconds: number): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const roleReads = ROLE_READS.reduce((n, operation) => n + (counts.get(operation) ?? 0), 0);
  const top = [...counts.entries()]
    .sort(([, a], [, b]) => b - a)
    .map(([operation, n]) => `${operation} ${n}`)
    .join(', ');
  return `${seconds.toFixed(1)} s, ${total} calls: ${(total / MACHINES).toFixed(2)} per machine, IAM role and policy reads ${(roleReads / ROLES).toFixed(1)} per role (${top})`;
}

/** Fake credentials only: the bench signs requests to loopback, never with the caller's own. */
async function withFakeCredentials<T>(run: () => Promise<T>): Promise<T> {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'];
  const saved = names.map((name) => [name, process.env[name]] as const);
  for (const name of names) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  });
  try {
    return await run();
  } finally {
    for (const [name, value] of saved)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}

export async function benchAudit(): Promise<Array<[string, string]>> {
  const moto = await startMoto();
  if (typeof moto === 'string') return [['audit: 200 machines over 10 roles', `skipped: ${moto}`]];
  try {
    return await withFakeCredentials(async () => {
      await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
      await seed(createClients({ region: 'us-east-1', endpoint: moto.endpoint }));
      const proxy = await startCountingProxy(moto.endpoint, LATENCY_MS);
      try {
        const rows: Array<[string, string]> = [];
        // Once each: the counts do not vary, and the old way takes most of a minute.
        const runs: Array<[string, (endpoint: string) => Promise<void>]> = [
          ['audit: 200 machines / 10 roles, before', auditBefore],
          ['audit: 200 machines / 10 roles, now', auditNow],
        ];
        for (const [label, run] of runs) {
          proxy.counts.clear();
          const start = process.hrtime.bigint();
          await run(proxy.url);
          rows.push([label, describe(proxy.counts, Number(process.hrtime.bigint() - start) / 1e9)]);
        }
        rows.push(['audit: latency per AWS call (proxy)', `${LATENCY_MS} ms injected before moto answers`]);
        return rows;
      } finally {
        await proxy.close();
      }
    });
  } finally {
    moto.stop();
  }
}

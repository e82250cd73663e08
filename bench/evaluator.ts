// Evaluator throughput: evaluations per second for a 3-statement policy with one condition, and with
// unrelated statements added (the service index should keep the cost flat).
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest } from '../lib/iam';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent';

function policyWith(unrelated: number) {
  const statements: unknown[] = [
    { Effect: 'Allow', Action: 'states:StartExecution', Resource: SM },
    {
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: 'arn:aws:states:us-east-1:123456789012:execution:Parent:*',
    },
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::dataset',
      Condition: { StringLike: { 's3:prefix': ['images/*'] } },
    },
  ];
  const services = ['dynamodb', 'sqs', 'sns', 'ec2', 'rds', 'glue', 'athena', 'ecs'];
  for (let i = 0; i < unrelated; i++) {
    statements.push({
      Effect: 'Allow',
      Action: `${services[i % services.length]}:Action${i}`,
      Resource: `arn:aws:${services[i % services.length]}:us-east-1:123456789012:thing/${i}`,
    });
  }
  return compilePolicySet({
    identity: [parsePolicy({ Version: '2012-10-17', Statement: statements }, 'bench').policy],
  });
}

const REQUESTS: AccessRequest[] = [
  { action: 'states:StartExecution', resource: SM },
  { action: 'states:DescribeExecution', resource: 'arn:aws:states:us-east-1:123456789012:execution:Parent:abc' },
  { action: 's3:ListBucket', resource: 'arn:aws:s3:::dataset', context: { 's3:prefix': ['images/2026'] } },
  { action: 's3:GetObject', resource: 'arn:aws:s3:::dataset/a.csv' },
];

function rate(set: ReturnType<typeof compilePolicySet>, iterations: number): number {
  for (let i = 0; i < 20_000; i++) evaluate(set, REQUESTS[i % REQUESTS.length] as AccessRequest);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) evaluate(set, REQUESTS[i % REQUESTS.length] as AccessRequest);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return Math.round(iterations / seconds);
}

export function benchEvaluator(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const base = rate(policyWith(0), 400_000);
  rows.push(['evaluator: 3 statements, 1 condition', `${base.toLocaleString('en-US')} evaluations/s (goal ≥ 50,000)`]);
  for (const extra of [100, 1000]) {
    const r = rate(policyWith(extra), 200_000);
    rows.push([
      `evaluator: + ${extra} unrelated statements`,
      `${r.toLocaleString('en-US')} evaluations/s (${((r / base) * 100).toFixed(0)}% of the base rate)`,
    ]);
  }
  return rows;
}

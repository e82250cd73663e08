// Evaluator throughput: evaluations per second for a 3-statement policy with one condition, and with
// unrelated statements added (the service index should keep the cost flat).
import { compilePolicySet, evaluate, parsePolicy, type AccessRequest } from '../lib/iam';
import { sideBySide } from './measure';

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

const BATCH = 100_000;

/** One batch of evaluations over the request mix. */
function batch(set: ReturnType<typeof compilePolicySet>): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) evaluate(set, REQUESTS[i % REQUESTS.length] as AccessRequest);
  };
}

const perSecond = (seconds: number | undefined) =>
  seconds === undefined ? 'n/a' : `${Math.round(BATCH / seconds).toLocaleString('en-US')} evaluations/s`;

export function benchEvaluator(): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const base = policyWith(0);
  for (const extra of [100, 1000]) {
    // The base rate is measured beside each larger policy, so the percentage compares like with like.
    const { a, b, ratio } = sideBySide(batch(base), batch(policyWith(extra)), { runs: 7, warmUp: true });
    if (extra === 100) rows.push(['evaluator: 3 statements, 1 condition', `${perSecond(a)} (goal ≥ 50,000)`]);
    rows.push([
      `evaluator: + ${extra} unrelated statements`,
      `${perSecond(b)} (${ratio === undefined ? 'n/a' : ((1 / ratio) * 100).toFixed(0)}% of the base rate beside it)`,
    ]);
  }
  return rows;
}

// npm run demo: the main jobs of dmap-guard on the bundled examples, with the embedded evaluator (no AWS).
import { spawnSync } from 'node:child_process';

const steps = [
  [
    'Check an app whose execution role has the usual mistakes (exit 1: it fails)',
    ['check', 'examples/image-pipeline/template.yaml'],
  ],
  ['The same app with the role fixed as suggested (exit 0)', ['check', 'examples/image-pipeline-fixed/template.yaml']],
  ['Every template of a folder, printing only what fails the run (as in CI logs)', ['check', 'examples/', '--quiet']],
  ['The rules, their levels and references', ['rules']],
  [
    'The least-privilege policy for its definition',
    [
      'policy',
      'examples/image-pipeline/statemachine/pipeline.asl.json',
      '--state-machine-arn',
      'arn:aws:states:us-east-1:123456789012:stateMachine:thumbnails',
      '--substitution',
      'ReportsBucket=reports',
      '--kms-key',
      'reports=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      '--format',
      'yaml',
    ],
  ],
  [
    'Offline simulate-custom-policy: is StartExecution on * really granted, and is ListBucket scoped?',
    [
      'simulate-custom-policy',
      '--policy-input-list',
      'file://examples/policies/over-broad.json',
      '--action-names',
      'states:StartExecution',
      's3:ListBucket',
      '--resource-arns',
      'arn:aws:states:us-east-1:123456789012:stateMachine:other',
      'arn:aws:s3:::images',
      '--context-entries',
      '[{"ContextKeyName":"s3:prefix","ContextKeyValues":["private/"],"ContextKeyType":"string"}]',
    ],
  ],
  [
    'The Lambda Hook, replayed offline: a definition change the role does not cover (FAILED, NonCompliant)',
    [
      'hook',
      'events/hook-statemachine-create-noncompliant.json',
      '--stack-template',
      'events/fixtures/orders-stack.yaml',
    ],
  ],
  [
    'The Lambda Hook on an IAM policy update that would break the Distributed Map',
    ['hook', 'events/hook-policy-update-breaks-map.json', '--stack-template', 'events/fixtures/orders-stack.yaml'],
  ],
];

for (const [title, args] of steps) {
  console.log(`\n\u001b[1m$ dmap-guard ${args.join(' ')}\u001b[0m\n# ${title}`);
  const result = spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' });
  console.log(`# exit code ${result.status}`);
  if (result.status === 2 || result.status === null) process.exit(1);
}

import { untrustedExecutionRole } from '../../../lib/checks/rules/untrusted-execution-role';
import { STATES_TRUST, ruleTester } from '../../helpers/rule-tester';
import { DMAP_POLICY, distributedMap } from '../machines';

// Step Functions assumes the execution role as the service principal states.amazonaws.com, and AWS recommends
// aws:SourceArn / aws:SourceAccount conditions against the confused deputy:
// https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html
const trust = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const STATES = { Service: 'states.amazonaws.com' };
const machine = (trustPolicy: unknown) => ({
  definition: distributedMap(),
  policies: [DMAP_POLICY],
  trust: trustPolicy,
});

ruleTester(untrustedExecutionRole).run('untrusted-execution-role', {
  valid: [
    { name: 'the Step Functions service principal', machine: machine(STATES_TRUST) },
    {
      name: 'confused-deputy conditions that hold for this machine',
      machine: machine(
        trust({
          Effect: 'Allow',
          Principal: STATES,
          Action: 'sts:AssumeRole',
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:aws:states:us-east-1:123456789012:stateMachine:*' },
            StringEquals: { 'aws:SourceAccount': '123456789012' },
          },
        }),
      ),
    },
    {
      name: 'the account may assume it too (over-broad-grant reports that, not this rule)',
      machine: machine(
        trust({
          Effect: 'Allow',
          Principal: { Service: ['states.amazonaws.com'], AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'sts:AssumeRole',
        }),
      ),
    },
    {
      name: 'a regional service principal is undecided (the unverifiable rule reports it), never an error',
      machine: machine(
        trust({ Effect: 'Allow', Principal: { Service: 'states.us-east-1.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ),
    },
    {
      name: 'a role outside the template has no trust policy to judge',
      machine: { definition: distributedMap(), roleArn: 'arn:aws:iam::123456789012:role/external' },
    },
  ],
  invalid: [
    {
      name: 'a role only Lambda may assume',
      machine: machine(
        trust({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ),
      errors: [
        {
          messageId: 'notAssumable',
          state: 'Role/AssumeRolePolicyDocument',
          actions: ['sts:AssumeRole'],
          message:
            /^Step Functions cannot assume role .+: no statement of .+ allows states\.amazonaws\.com to call sts:AssumeRole\.$/,
        },
      ],
    },
    {
      name: 'a Deny of the service principal wins over the Allow',
      machine: machine(
        trust(
          { Effect: 'Allow', Principal: STATES, Action: 'sts:AssumeRole' },
          { Sid: 'NoStates', Effect: 'Deny', Principal: '*', Action: 'sts:*' },
        ),
      ),
      errors: [
        {
          messageId: 'notAssumable',
          state: 'Role/AssumeRolePolicyDocument',
          action: 'sts:AssumeRole',
          message: /denies sts:AssumeRole to states\.amazonaws\.com \(statement NoStates\)/,
        },
      ],
    },
    {
      name: 'aws:SourceAccount of another account: Step Functions calls from this one',
      machine: machine(
        trust({
          Effect: 'Allow',
          Principal: STATES,
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } },
        }),
      ),
      errors: [{ messageId: 'notAssumable', state: 'Role/AssumeRolePolicyDocument', action: 'sts:AssumeRole' }],
    },
    {
      name: 'an action other than sts:AssumeRole',
      machine: machine(trust({ Effect: 'Allow', Principal: STATES, Action: 'sts:TagSession' })),
      errors: [{ messageId: 'notAssumable', state: 'Role/AssumeRolePolicyDocument', action: 'sts:AssumeRole' }],
    },
  ],
});

// messageId, actions and resources reach every machine-readable format; text output stays as it was.
import { RULES } from '../../lib/checks/registry';
import { missingRecommendedPermission } from '../../lib/checks/rules/missing-recommended-permission';
import { buildReport, renderJson } from '../../lib/report/report';
import { renderSarif } from '../../lib/report/sarif';
import { renderText } from '../../lib/report/text';
import { EXECUTIONS_ARN, allow, checkCase } from '../helpers/rule-tester';
import { REDRIVE_ARN, REQUIRED, distributedMap } from '../checks/machines';

const RESULTS = 'arn:aws:s3:::out-bucket/results/*';
const machine = {
  definition: distributedMap({
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'out-bucket', Prefix: 'results' },
    },
  }),
  policies: [allow(...REQUIRED, [['s3:PutObject', 's3:GetObject'], RESULTS])],
};

async function report() {
  const { findings, analyses } = await checkCase({ name: 'writer', machine }, [missingRecommendedPermission]);
  return buildReport(analyses, findings, 'error');
}

describe('finding fields in reports', () => {
  it('JSON keeps action and resource as the first of actions and resources (sorted by them)', async () => {
    const findings = JSON.parse(renderJson(await report())).findings;
    expect(
      findings.map((f: Record<string, unknown>) => [f.messageId, f.action, f.actions, f.resource, f.resources]),
    ).toEqual([
      [
        'notAllowed',
        's3:ListMultipartUploadParts',
        ['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        RESULTS,
        [RESULTS],
      ],
      ['notAllowed', 'states:DescribeExecution', ['states:DescribeExecution'], EXECUTIONS_ARN, [EXECUTIONS_ARN]],
      ['notAllowed', 'states:RedriveExecution', ['states:RedriveExecution'], REDRIVE_ARN, [REDRIVE_ARN]],
      ['notAllowed', 'states:StopExecution', ['states:StopExecution'], EXECUTIONS_ARN, [EXECUTIONS_ARN]],
    ]);
  });

  it('SARIF results carry them as properties and rules their tags and message ids', async () => {
    const sarif = JSON.parse(renderSarif(await report(), RULES, '0.0.0'));
    const run = sarif.runs[0];
    expect(run.results[0].properties).toEqual({
      messageId: 'notAllowed',
      state: '$.States.Map',
      actions: ['s3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [RESULTS],
    });
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'over-broad-grant');
    expect(rule.properties.tags).toEqual(['iam', 'least-privilege']);
    expect(rule.properties.messageIds).toContain('wholeBucket');
  });

  it('text output names every action in the message', async () => {
    expect(renderText(await report())).toContain(
      'warning missing-recommended-permission: s3:ListMultipartUploadParts, s3:AbortMultipartUpload on arn:aws:s3:::out-bucket/results/* is not allowed',
    );
  });
});

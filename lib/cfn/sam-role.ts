// The role SAM generates for an AWS::Serverless::StateMachine: Policies, policy templates, connectors, tracing.
import { isRecord, own, textOf } from '../model/json';
import type { RoleModel } from '../model/state-machine';
import { unresolved } from './intrinsics';
import { physicalName } from './resources';
import { noteUnresolvedPolicies, policySource, type Lookups } from './roles';
import { CONNECTOR_TYPE_ALIASES, SAM_CONNECTOR_PROFILES, SAM_POLICY_TEMPLATES, xrayManagedPolicyArn } from './sam';
import type { Json, TemplateAnalysis } from './template';

/** The role SAM generates for a state machine from its Policies, Connectors and Tracing. */
export function samGeneratedRole(
  t: TemplateAnalysis,
  id: string,
  props: Json,
  tracing: boolean,
  lookups: Lookups,
): RoleModel {
  const p = t.pseudo;
  const role: RoleModel = {
    arn: `arn:${p.partition}:iam::${p.account}:role/${physicalName(p, `${id}Role`)}`,
    identityPolicies: [],
    unknown: [],
    origin: t.origin(id, 'Properties', 'Policies'),
  };
  const raw = t.resolve(props.Policies);
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  entries.forEach((entry, index) => {
    const origin = t.origin(id, 'Properties', 'Policies', ...(Array.isArray(raw) ? [index] : []));
    if (typeof entry === 'string') {
      const arn = entry.startsWith('arn:') ? entry : `arn:${p.partition}:iam::aws:policy/${entry}`;
      const policy = lookups.policy(arn);
      if (typeof policy === 'string') role.unknown.push(policy);
      else role.identityPolicies.push(policy);
    } else if (isRecord(entry) && 'Statement' in entry) {
      role.identityPolicies.push(
        policySource(`${id}Role/Policy${index}`, `inline policy ${index} of ${id}`, entry, origin),
      );
    } else if (isRecord(entry) && Object.keys(entry).length === 1) {
      const [templateName] = Object.keys(entry) as [string];
      const template = own(SAM_POLICY_TEMPLATES, templateName);
      if (!template) {
        role.unknown.push(`SAM policy template ${templateName} (not modelled by dmap-guard)`);
        return;
      }
      const params = isRecord(entry[templateName]) ? (entry[templateName] as Json) : {};
      const param = (name: string) =>
        typeof params[name] === 'string' ? (params[name] as string) : unresolved(`${templateName}.${name}`);
      role.identityPolicies.push(
        policySource(
          `${id}Role/${templateName}${index}`,
          `SAM policy template ${templateName}`,
          { Version: '2012-10-17', Statement: template(param, p) },
          origin,
        ),
      );
    } else {
      role.unknown.push(`Policies[${index}] of ${id} (not a managed policy, statement list or policy template)`);
    }
  });
  for (const [name, statements] of connectorStatements(t, id)) {
    role.identityPolicies.push({
      ...policySource(
        `${id}Role/${name}`,
        `SAM connector ${name}`,
        { Version: '2012-10-17', Statement: statements },
        t.origin(name),
      ),
      fixedActions: true,
    });
  }
  if (tracing) {
    const policy = lookups.policy(xrayManagedPolicyArn(p.partition));
    if (typeof policy === 'string') role.unknown.push(`AWS managed policy AWSXrayWriteOnlyAccess: ${policy}`);
    else role.identityPolicies.push(policy);
  }
  if (isRecord(props) && props.PermissionsBoundary !== undefined) {
    const arn = textOf(t.resolve(props.PermissionsBoundary));
    const boundary = lookups.policy(arn);
    if (typeof boundary === 'string') role.unknown.push(`permissions boundary: ${boundary}`);
    else role.boundary = boundary;
  }
  noteUnresolvedPolicies(role);
  return role;
}

/** Statements granted by SAM connectors whose source is this state machine (embedded or AWS::Serverless::Connector). */
function connectorStatements(t: TemplateAnalysis, id: string): Array<[string, unknown[]]> {
  const result: Array<[string, unknown[]]> = [];
  const grant = (name: string, destinations: unknown, permissions: unknown) => {
    const statements: unknown[] = [];
    for (const destination of Array.isArray(destinations) ? destinations : [destinations]) {
      if (!isRecord(destination)) continue;
      const destId = typeof destination.Id === 'string' ? destination.Id : undefined;
      const rawType = destId ? t.typeOf(destId) : String(destination.Type);
      const type = own(CONNECTOR_TYPE_ALIASES, rawType ?? '') ?? rawType ?? '';
      const values = destId ? t.values(destId) : undefined;
      const arn = textOf(
        values?.attributes.Arn ?? values?.attributes.TopicArn ?? values?.ref ?? t.resolve(destination.Arn),
      );
      const destName = textOf(values?.attributes.Name ?? values?.ref ?? t.resolve(destination.Name));
      for (const access of Array.isArray(permissions) ? permissions : []) {
        if (access !== 'Read' && access !== 'Write') continue;
        const profile = own(SAM_CONNECTOR_PROFILES, type)?.[access as 'Read' | 'Write'];
        if (profile)
          statements.push(
            ...profile(
              { arn: type === 'AWS::SQS::Queue' ? textOf(values?.attributes.Arn ?? arn) : arn, name: destName },
              t.pseudo,
            ),
          );
      }
    }
    if (statements.length > 0) result.push([name, statements]);
  };
  const embedded = t.properties(id).Connectors;
  if (isRecord(embedded)) {
    for (const [name, connector] of Object.entries(embedded)) {
      const props = isRecord(connector) && isRecord(connector.Properties) ? connector.Properties : {};
      grant(name, props.Destination, props.Permissions);
    }
  }
  for (const other of t.resourceIds()) {
    if (t.typeOf(other) !== 'AWS::Serverless::Connector') continue;
    const props = t.properties(other);
    if (isRecord(props.Source) && props.Source.Id === id) grant(other, props.Destination, props.Permissions);
  }
  return result;
}

// The integrations reference for the README, generated from the integration table the needs derivation reads.
import { INTEGRATIONS, rowResource } from '../needs/integrations';
import { SDK_EXTRAS } from '../needs/integrations/sdk-reads';
import type { IntegrationRow } from '../needs/integrations/types';

const short = (arn: string) =>
  arn.replace('arn:${Partition}:', '').replace(':${Region}:${Account}:', '::').replace(/\|/g, '\\|');

function grantsCell(row: IntegrationRow): string {
  const lines = row.grants.map((g) => {
    const tier = g.tier && g.tier !== 'required' ? ` (${g.tier})` : '';
    const when = g.when ? ` if \`${g.when}\`` : '';
    const runtime = g.runtime ? ' (run-time)' : '';
    return `${g.actions.map((a) => `\`${a}\``).join(', ')} → ${g.resources.map((r) => `\`${short(r)}\``).join(', ')}${tier}${when}${runtime}`;
  });
  if (row.rule) lines.push(`\`events:PutTargets\`, \`events:PutRule\`, \`events:DescribeRule\` → \`rule/${row.rule}\``);
  if (row.unverifiable)
    lines.push(`not checked${row.unverifiableWhen ? ` if \`${row.unverifiableWhen}\`` : ''}: ${row.unverifiable}`);
  return lines.join('<br>') || '—';
}

export function integrationsReference(rows: readonly IntegrationRow[] = INTEGRATIONS): string {
  const lines = [
    '| Resource (`arn:aws:states:::…`) | Actions → resources | `iam:PassRole` (→ `iam:PassedToService`) | Reads/writes S3 as the role | Docs |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const passRoles = (row.passRoles ?? [])
      .map((p) => `\`${p.field}\`${p.hidden ? ' (roles of the task definition, run-time)' : ''} → ${p.service}`)
      .join('<br>');
    lines.push(
      `| \`${rowResource(row)}\` | ${grantsCell(row)} | ${passRoles || '—'} | ${row.readsS3 ?? '—'} | [docs](${row.docs}) |`,
    );
  }
  lines.push(
    '',
    'AWS SDK integrations (`arn:aws:states:::aws-sdk:<service>:<api>`) need `<IAM prefix>:<Api>`; these calls also need S3 access or a passed role, because the service reads or writes S3 with the caller’s permissions or runs as the role it is given:',
    '',
    '| Service | APIs | S3 access as the execution role | Passed role (→ service) | Docs |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const extra of SDK_EXTRAS) {
    const s3 = (extra.s3 ?? [])
      .map((a) => `\`${a.action}\` on ${a.uri ? `\`${a.uri}\`` : `\`${a.bucket}\`/\`${a.key}\`${a.prefix ? '*' : ''}`}`)
      .join('<br>');
    const role = extra.passRole ? `\`${extra.passRole.field}\` → ${extra.passRole.service}` : '—';
    lines.push(`| ${extra.service} | ${extra.apis.join(', ')} | ${s3 || '—'} | ${role} | [docs](${extra.docs}) |`);
  }
  return lines.join('\n');
}

// `check` reads definition files only inside the template's folder, regular files only, unless the user allows
// more (issue 14 point 2); the hook, custom resource and validate read none (tests/lambda/hook-reads.test.ts).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeTemplate } from '../../lib/cfn/machines';
import { readDocumentFile } from '../../lib/cfn/load';
import type { TemplateOptions } from '../../lib/cfn/template';
import { validate } from '../../lib/lambda/validate';
import { EmbeddedBackend } from '../../lib/offline/backend';
import { runCli } from '../helpers/cli';

const where = { region: 'us-east-1', account: '123456789012', partition: 'aws' };
const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
let root: string;
let folder: string;

const template = (location: string) =>
  JSON.stringify({
    Resources: {
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { RoleArn: 'arn:aws:iam::123456789012:role/r', DefinitionS3Location: location },
      },
    },
  });

function analyse(location: string, options: Partial<TemplateOptions> = {}) {
  const file = join(folder, 'template.json');
  writeFileSync(file, template(location));
  const [machine] = analyzeTemplate(readDocumentFile(file), { ...where, ...options });
  return machine;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dmap-guard-definitions-'));
  folder = join(root, 'app');
  mkdirSync(join(folder, 'statemachines'), { recursive: true });
  writeFileSync(join(folder, 'statemachines', 'machine.asl.json'), DEFINITION);
  writeFileSync(join(root, 'outside.asl.json'), DEFINITION);
  symlinkSync(join(root, 'outside.asl.json'), join(folder, 'statemachines', 'link.asl.json'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local definition files in check', () => {
  it("reads a path relative to the template's folder", () => {
    const machine = analyse('statemachines/machine.asl.json');
    expect(machine?.definitionUnavailable).toBeUndefined();
    expect(machine?.definition).toEqual(JSON.parse(DEFINITION));
  });

  it.each(['../outside.asl.json', 'statemachines/link.asl.json', '/etc/passwd', '/dev/zero'])(
    "refuses %s, outside the template's folder (symlinks resolved), without reading it",
    (location) => {
      const machine = analyse(location);
      expect(machine?.definitionUnavailable).toBe(
        `DefinitionS3Location ${location} cannot be read: it is outside the template's folder (pass --allow-outside-definitions to read definitions from anywhere)`,
      );
    },
  );

  it('reads outside the folder when the user allows it, but never a device file', () => {
    expect(analyse('../outside.asl.json', { localDefinitions: 'anywhere' })?.definition).toEqual(
      JSON.parse(DEFINITION),
    );
    expect(analyse('statemachines/link.asl.json', { localDefinitions: 'anywhere' })?.definitionUnavailable).toBe(
      undefined,
    );
    // /dev/zero would never end; /dev/null reads as empty: neither is a regular file.
    for (const device of ['/dev/zero', '/dev/null'])
      expect(analyse(device, { localDefinitions: 'anywhere' })?.definitionUnavailable).toBe(
        `DefinitionS3Location ${device} cannot be read: expected a regular file`,
      );
  });

  it('says a missing file is not found', () => {
    expect(analyse('statemachines/missing.json')?.definitionUnavailable).toMatch(/cannot be read: file not found$/);
  });

  it('the CLI flag --allow-outside-definitions reads outside the folder', async () => {
    const file = join(folder, 'template.json');
    writeFileSync(file, template('../outside.asl.json'));
    const refused = await runCli(['check', file, '--format', 'json']);
    expect(refused.stdout).toMatch(/outside the template's folder/);
    const allowed = await runCli(['check', file, '--format', 'json', '--allow-outside-definitions']);
    expect(allowed.stdout).not.toMatch(/outside the template's folder|invalid-definition/);
  });
});

describe('validate never reads local paths', () => {
  it.each(['/dev/zero', '/etc/passwd', 'statemachines/machine.asl.json'])('%s', async (location) => {
    const report = await validate({ template: template(location) }, new EmbeddedBackend(), where);
    const messages = report.findings.map((f) => f.message).join('\n');
    expect(messages).toContain(`DefinitionS3Location "${location}" is not an s3:// URI`);
    expect(messages).not.toMatch(/root:/);
  });
});

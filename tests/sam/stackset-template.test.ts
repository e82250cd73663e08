// issue 14 point 10: `npm run package:stackset` produces a template a service-managed StackSet can deploy (no
// transform, code in a per-Region bucket) that runs the same functions as template.yaml, and per-function zips.
// "StackSets doesn't currently support creating or updating stack sets with service-managed permissions from templates
// that reference macros": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-macros-overview.html
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { readDocumentFile } from '../../lib/cfn/load';

const ROOT = join(__dirname, '..', '..');
const sam = readDocumentFile(join(ROOT, 'template.yaml')).value as Record<string, any>;

function available(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canTranslate = available(process.env.PYTHON || 'python3', ['-c', 'import samtranslator']);
const describeIfTranslator = canTranslate ? describe : describe.skip;

/** The entries of a zip file (local headers; the packager writes no data descriptors). */
function unzip(zip: Buffer): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const method = zip.readUInt16LE(at + 8);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extraLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const start = at + 30 + nameLength + extraLength;
    const data = zip.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : data;
    at = start + size;
  }
  return files;
}

describeIfTranslator('npm run package:stackset', () => {
  const out = mkdtempSync(join(tmpdir(), 'dmap-guard-stackset-'));
  let template: Record<string, any>;
  let log: string;

  beforeAll(() => {
    log = execFileSync(process.execPath, ['scripts/package-stackset.mjs', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    template = JSON.parse(readFileSync(join(out, 'template.json'), 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('has no transform and no SAM resource types', () => {
    expect(template.Transform).toBeUndefined();
    expect(template.Globals).toBeUndefined();
    const types = Object.values(template.Resources).map((r: any) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::Serverless::'))).toEqual([]);
    expect(types).toEqual(
      expect.arrayContaining(['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::CloudFormation::LambdaHook']),
    );
  });

  it('keeps every resource, parameter, condition and output of template.yaml', () => {
    for (const id of Object.keys(sam.Resources)) expect(Object.keys(template.Resources)).toContain(id);
    for (const id of Object.keys(sam.Parameters)) expect(template.Parameters[id]).toEqual(sam.Parameters[id]);
    expect(template.Conditions).toEqual(sam.Conditions);
    expect(Object.keys(template.Outputs).sort()).toEqual(Object.keys(sam.Outputs).sort());
    const alarms = (t: Record<string, any>) =>
      Object.entries(t.Resources)
        .filter(([, r]: [string, any]) => r.Type === 'AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort();
    expect(alarms(template)).toEqual(alarms(sam));
  });

  it('runs the same functions: handler, runtime, architecture, memory, timeout, environment, concurrency, policies', () => {
    const globals = sam.Globals.Function;
    for (const [id, fn] of Object.entries(sam.Resources).filter(
      ([, r]: [string, any]) => r.Type === 'AWS::Serverless::Function',
    ) as Array<[string, any]>) {
      const lambda = template.Resources[id];
      expect(lambda.Type).toBe('AWS::Lambda::Function');
      expect(lambda.Properties).toMatchObject({
        Handler: fn.Properties.Handler,
        Runtime: globals.Runtime,
        Architectures: globals.Architectures,
        MemorySize: globals.MemorySize,
        Timeout: fn.Properties.Timeout,
        Environment: globals.Environment,
        Role: { 'Fn::GetAtt': [`${id}Role`, 'Arn'] },
      });
      expect(lambda.Properties.ReservedConcurrentExecutions).toEqual(fn.Properties.ReservedConcurrentExecutions);
      const role = template.Resources[`${id}Role`].Properties;
      expect(role.ManagedPolicyArns).toEqual([
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
        ...fn.Properties.Policies,
      ]);
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } },
      ]);
    }
    expect(template.Resources.ReadPermissionsPolicy).toEqual(sam.Resources.ReadPermissionsPolicy);
    expect(template.Resources.HookExecutionRole).toEqual(sam.Resources.HookExecutionRole);
    expect(template.Resources.DistributedMapHook).toEqual(sam.Resources.DistributedMapHook);
  });

  it('takes the code from <ArtifactBucketPrefix>-<Region>, one content-addressed zip per function holding handler.js', () => {
    expect(template.Parameters.ArtifactBucketPrefix).toMatchObject({ Type: 'String' });
    const handlers = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::Function') as any[];
    expect(handlers).toHaveLength(3);
    for (const fn of handlers) {
      const code = fn.Properties.Code;
      expect(code.S3Bucket).toEqual({ 'Fn::Sub': '${ArtifactBucketPrefix}-${AWS::Region}' });
      expect(code.S3Key).toMatch(/^dmap-guard\/[\w.-]+\/(hook|custom-resource|validate)-[0-9a-f]{16}\.zip$/);
      const zip = join(out, 'artifacts', code.S3Key);
      expect(existsSync(zip)).toBe(true);
      const files = unzip(readFileSync(zip));
      expect(Object.keys(files).sort()).toEqual(['handler.js', 'handler.js.map']);
      expect(files['handler.js']!.toString('utf8')).toMatch(/\/\/# sourceMappingURL=handler\.js\.map\n$/);
      expect(fn.Metadata).toBeUndefined();
    }
    expect(log).toContain('aws s3 sync');
  });

  it('passes cfn-lint', () => {
    if (!available('cfn-lint', ['--version'])) return;
    expect(() => execFileSync('cfn-lint', [join(out, 'template.json')], { stdio: 'pipe' })).not.toThrow();
  });
});

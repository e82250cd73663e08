// Packages dmap-guard for a service-managed StackSet, which accepts no transforms and no local code:
//   dist/stackset/template.json  template.yaml translated by the SAM translator (aws-sam-translator, Python), with each
//                                function's Code in the bucket `${ArtifactBucketPrefix}-${AWS::Region}`
//   dist/stackset/artifacts/...  one zip per function (the esbuild bundle of scripts/build.mjs and its source map),
//                                named by content hash, to copy to that bucket in every target Region
// Usage: npm run package:stackset [-- --out dir] [-- --key-prefix dmap-guard/0.1.0/]   (PYTHON=... picks the interpreter)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const out = resolve(root, option('--out', join('dist', 'stackset')));
const keyPrefix = option('--key-prefix', `dmap-guard/${pkg.version}/`);

// 1. The same bundles as `npm run build -- --all` (dist/functions/<name>/index.js and index.js.map).
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--all'], { cwd: root, stdio: 'inherit' });

// 2. One zip per function. template.yaml's Handler is handler.handler (the name sam build gives the bundle), so the
//    bundle goes in as handler.js, with its source map comment following the rename.
rmSync(out, { recursive: true, force: true });
const codeKeys = {};
for (const name of readdirSync(join(root, 'dist', 'functions')).sort()) {
  const dir = join(root, 'dist', 'functions', name);
  const js = readFileSync(join(dir, 'index.js'), 'utf8').replace(
    /\/\/# sourceMappingURL=index\.js\.map\s*$/,
    '//# sourceMappingURL=handler.js.map\n',
  );
  const zip = zipFiles([
    ['handler.js', Buffer.from(js)],
    ['handler.js.map', readFileSync(join(dir, 'index.js.map'))],
  ]);
  const key = `${keyPrefix}${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`;
  mkdirSync(dirname(join(out, 'artifacts', key)), { recursive: true });
  writeFileSync(join(out, 'artifacts', key), zip);
  codeKeys[`functions/${name}/handler.ts`] = key;
}

// 3. Translate template.yaml with the SAM translator: the StackSet runs exactly the resources `sam deploy` would.
const translate = String.raw`
import json, os, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

root, code_keys = sys.argv[1], json.loads(sys.argv[2])
with open(os.path.join(root, "template.yaml")) as f:
    template = yaml_parse(f.read())
template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
template["Parameters"]["ArtifactBucketPrefix"] = {
    "Type": "String",
    "AllowedPattern": "^[a-z0-9][a-z0-9.-]{1,53}$",
    "Description": "Buckets holding the function zips, one per Region: <ArtifactBucketPrefix>-<Region>.",
}
template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"].append(
    {"Label": {"default": "Function code (StackSet)"}, "Parameters": ["ArtifactBucketPrefix"]}
)
for logical_id, resource in template["Resources"].items():
    if resource.get("Type") != "AWS::Serverless::Function":
        continue
    entry = resource["Metadata"]["BuildProperties"]["EntryPoints"][0]
    if entry not in code_keys:
        sys.exit(f"{logical_id}: no bundle for {entry}")
    resource["Properties"]["CodeUri"] = {
        "Bucket": {"Fn::Sub": "$" + "{ArtifactBucketPrefix}-$" + "{AWS::Region}"},
        "Key": code_keys[entry],
    }

class NoManagedPolicies:  # the template names no managed policy by name; nothing to look up
    def load(self):
        return {}

output = transform(template, {}, NoManagedPolicies())
json.dump(output, sys.stdout)
`;
const python = process.env.PYTHON || 'python3';
let translated;
try {
  // The translator needs some Region to pick a partition; the output itself uses AWS::Region and AWS::Partition.
  translated = execFileSync(python, ['-c', translate, root, JSON.stringify(codeKeys)], {
    encoding: 'utf8',
    env: { ...process.env, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION || 'us-east-1' },
    maxBuffer: 64 * 1024 * 1024,
  });
} catch (error) {
  console.error(`package:stackset needs ${python} with the SAM translator (pip install aws-sam-translator).`);
  throw error;
}
const template = JSON.parse(translated, (key, value) =>
  // SAM writes the AWS managed policy ARNs with a literal partition; keep the template partition-neutral.
  typeof value === 'string' && value.startsWith('arn:aws:iam::aws:policy/')
    ? { 'Fn::Sub': value.replace('arn:aws:', 'arn:${AWS::Partition}:') }
    : value,
);
for (const resource of Object.values(template.Resources)) {
  // sam build hints (BuildMethod, BuildProperties) mean nothing without sam build.
  if (resource.Type === 'AWS::Lambda::Function') delete resource.Metadata;
}
template.Description = `${template.Description.trim()} (StackSet package ${pkg.version}: code in <ArtifactBucketPrefix>-<Region>)`;
const body = JSON.stringify(template, null, 1) + '\n';
writeFileSync(join(out, 'template.json'), body);

const rel = (path) => relative(root, path) || '.';
console.log(`wrote ${rel(join(out, 'template.json'))} (${body.length} bytes)`);
for (const key of Object.values(codeKeys)) console.log(`wrote ${rel(join(out, 'artifacts', key))}`);
console.log(
  `copy to every target Region: aws s3 sync ${rel(join(out, 'artifacts'))} s3://<ArtifactBucketPrefix>-<Region>/`,
);

// A deflate zip with fixed timestamps (1980-01-01), so the same bundle gives the same bytes and the same key.
function zipFiles(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const header = (signature, central) => {
      const b = Buffer.alloc(central ? 46 : 30);
      let at = 0;
      const u32 = (v) => (b.writeUInt32LE(v >>> 0, at), (at += 4));
      const u16 = (v) => (b.writeUInt16LE(v, at), (at += 2));
      u32(signature);
      if (central) u16(0x0314); // made by: Unix, zip 2.0
      u16(20); // version needed: 2.0 (deflate)
      u16(0x0800); // UTF-8 names
      u16(8); // deflate
      u16(0); // time 00:00
      u16(0x21); // date 1980-01-01
      u32(crc);
      u32(deflated.length);
      u32(data.length);
      u16(nameBytes.length);
      u16(0); // extra field length
      if (central) {
        u16(0); // comment length
        u16(0); // disk number
        u16(0); // internal attributes
        u32((0o100644 << 16) >>> 0); // external attributes: regular file, rw-r--r--
        u32(offset);
      }
      return b;
    };
    const local = Buffer.concat([header(0x04034b50, false), nameBytes, deflated]);
    centrals.push(Buffer.concat([header(0x02014b50, true), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

function crc32(data) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data) >>> 0; // Node 20.15+
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

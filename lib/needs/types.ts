// A need is one permission the execution role must (or should) have, with where it comes from and why.

/** required: the run fails without it; recommended: some operations fail without it; optional: granting it is not over-broad, lacking it is fine. */
export type Tier = 'required' | 'recommended' | 'optional';

export interface NeedSource {
  /** JSONPath of the state in the definition ("$" for state machine settings). */
  state: string;
  /** The field inside that state the need comes from ("ItemReader.Parameters.Bucket"). */
  field: string;
}

export interface Need {
  /** Statement id used in the generated policy; needs sharing a sid and actions merge into one statement. */
  sid: string;
  actions: string[];
  /** ARNs or patterns the actions must be allowed on; `*` segments stand for run-time values when `runtime`. */
  resources: string[];
  /** Policy conditions that scope the grant ({StringLike: {"s3:prefix": ["data/"]}}). */
  conditions?: Record<string, Record<string, string[]>>;
  /** Request context the service sends with the call, used to simulate it. */
  context?: Record<string, string[]>;
  tier: Tier;
  source: NeedSource;
  why: { text: string; docs: string };
  /** True when a resource depends on values known only at run time (paths, JSONata, unresolved intrinsics). */
  runtime: boolean;
  /** The expression the run-time value comes from, for messages. */
  runtimeExpression?: string;
}

/** Something in the definition that makes it unable to run, found while deriving needs. */
export interface DefinitionProblem {
  kind:
    | 'distributed-map-in-express'
    | 'invalid-label'
    | 'invalid-item-reader'
    | 'invalid-result-writer'
    | 'bucket-in-other-account'
    | 'bucket-in-other-region';
  state: string;
  field: string;
  message: string;
}

/** A task integration whose permissions dmap-guard cannot (fully) derive or check. */
export interface UnmodeledIntegration {
  state: string;
  resource: string;
  /** Why: what is not modelled, or what authorises the call outside the execution role's policies. */
  reason: string;
}

/** A static ItemReader or ResultWriter bucket of a Distributed Map (lib/needs/bucket-owners.ts). */
export interface BucketUse {
  bucket: string;
  /** ExpectedBucketOwner, when the definition pins one. */
  owner?: string;
  feature: 'listing' | 'getObject' | 'resultWriter';
  state: string;
  field: string;
}

export interface NeedsResult {
  needs: Need[];
  problems: DefinitionProblem[];
  unmodeled: UnmodeledIntegration[];
  distributedMaps: string[];
  /** The static ItemReader and ResultWriter buckets, with the owner ExpectedBucketOwner pins (found in the same walk). */
  bucketUses: BucketUse[];
}

export const DOCS = {
  distributedMap: 'https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html',
  itemReader: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html',
  resultWriter: 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html',
  redrive: 'https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html',
  integrations: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-integration-iam-templates.html',
  lambda: 'https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html',
  nested: 'https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html',
  sdk: 'https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html',
  logging: 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html',
  xray: 'https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html',
  encryption: 'https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html',
  s3Kms: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  express: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html',
} as const;

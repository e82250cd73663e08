// dmap-guard/cdk: the AWS CDK policy validation plugin.
export { DmapGuardValidator, type DmapGuardValidatorOptions } from './validator';

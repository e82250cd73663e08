// The rule registry: every rule, in reporting order. Ids are stable literals; docs are generated from here.
import { invalidDefinition } from './rules/invalid-definition';
import { invalidPolicy } from './rules/invalid-policy';
import { missingPermission } from './rules/missing-permission';
import { missingRecommendedPermission } from './rules/missing-recommended-permission';
import { overBroadGrant } from './rules/over-broad-grant';
import { ruleError } from './rules/rule-error';
import { runtimeResource } from './rules/runtime-resource';
import { untrustedExecutionRole } from './rules/untrusted-execution-role';
import { unverifiable } from './rules/unverifiable';
import type { Rule } from './types';

export const RULES: Rule[] = [
  invalidDefinition,
  untrustedExecutionRole,
  missingPermission,
  missingRecommendedPermission,
  overBroadGrant,
  runtimeResource,
  unverifiable,
  invalidPolicy,
  ruleError,
];

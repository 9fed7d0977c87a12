/**
 * Which ARNs a role must be allowed to invoke for one model id, and whether the stack's region may call it at all.
 * A plain foundation-model id needs its foundation-model ARN in the stack region. A cross-region inference-profile
 * id (`us.`, `eu.`, `apac.`, `jp.`, `au.`, `us-gov.`, `global.` prefix) needs the inference-profile ARN in the
 * stack region AND the foundation-model ARN in every region the profile may route to (AWS "Prerequisites for
 * inference profiles"; DESIGN.md, Bedrock facts) — otherwise calls fail with AccessDenied whenever Bedrock routes
 * to another region. A global profile routes to any commercial region, granted as the region-less foundation-model
 * ARN (AWS "Global cross-Region inference").
 */
import { splitModelId } from '../../compiler/manifest.ts';
import { InfraError } from '../infraError.ts';

/**
 * Regions each geographic profile may be called from and route to (the same set: a geography's profiles serve
 * their own regions). A superset over current models: granting a region a profile never routes to is harmless,
 * missing one fails requests intermittently. `global` is any region of the commercial partition. Extend here when
 * AWS adds a geography.
 */
const PROFILE_REGIONS: Record<string, readonly string[] | 'commercial'> = {
  us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  'us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  eu: ['eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1',
    'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4'],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
  au: ['ap-southeast-2', 'ap-southeast-4'],
  global: 'commercial',
};

export interface ParsedModelId {
  /** The foundation model id (`anthropic.claude-sonnet-4-6`). */
  foundationModel: string;
  /** Set for an inference-profile id: its geography prefix. */
  profile?: string;
}

const partitionOf = (region: string): string => (region.startsWith('us-gov-') ? 'aws-us-gov'
  : region.startsWith('cn-') ? 'aws-cn' : 'aws');

/**
 * Splits an inference-profile id (`us.anthropic.claude-sonnet-4-6`: geography, vendor, model) from a
 * foundation-model id (`anthropic.claude-sonnet-4-6`: vendor, model). Throws for an unknown geography: a typo would
 * deny every call at run time instead of failing the deploy.
 */
export function parseModelId(modelId: string): ParsedModelId {
  const { geography, foundationModel } = splitModelId(modelId);
  if (!geography) return { foundationModel };
  if (!PROFILE_REGIONS[geography]) throw unknownGeography(geography);
  return { foundationModel, profile: geography };
}

const unknownGeography = (geography: string): Error =>
  new InfraError('RV_INFRA_PROFILE', `unknown inference-profile geography '${geography}'; ` +
    `known: ${Object.keys(PROFILE_REGIONS).join(', ')} (add it to infra/policies/modelArns.ts)`);

/** Regions a geographic profile routes to; a global profile's are every commercial region (not listed). */
export function inferenceProfileRegions(profile: string): readonly string[] {
  const regions = PROFILE_REGIONS[profile];
  if (!regions) throw unknownGeography(profile);
  return regions === 'commercial' ? [] : regions;
}

/**
 * Throws when the stack's region cannot call `modelId` (a `us.` profile from eu-west-1 answers ValidationException
 * on every request): the error names the model, the region and the profile ids that would work there.
 */
export function checkModelRegion(modelId: string, region: string): void {
  const { foundationModel, profile } = parseModelId(modelId);
  if (!profile) return;
  const regions = PROFILE_REGIONS[profile]!;
  const callable = regions === 'commercial' ? partitionOf(region) === 'aws' : regions.includes(region);
  if (callable) return;
  const here = Object.entries(PROFILE_REGIONS)
    .filter(([, r]) => (r === 'commercial' ? partitionOf(region) === 'aws' : r.includes(region)))
    .map(([geography]) => `${geography}.${foundationModel}`);
  const where = regions === 'commercial' ? 'the commercial regions' : regions.join(', ');
  throw new InfraError('RV_INFRA_PROFILE', `model '${modelId}' is a '${profile}' inference profile, callable from ${where}, ` +
    `not from the stack's region ${region}; use ${here.length ? here.map((m) => `'${m}'`).join(' or ') : 'a model offered in that region'} ` +
    '(pulumi config set revops:model ID, or the agent\'s model / defaults.model in the specs)');
}

/** Every ARN `bedrock:InvokeModel` must allow for `modelId` called from `region` in `accountId`, sorted. */
export function modelInvokeArns(modelId: string, region: string, accountId: string): string[] {
  const { foundationModel, profile } = parseModelId(modelId);
  const partition = partitionOf(region);
  const foundationArn = (r: string) => `arn:${partition}:bedrock:${r}::foundation-model/${foundationModel}`;
  if (!profile) return [foundationArn(region)];
  const routed = PROFILE_REGIONS[profile] === 'commercial' ? [region, ''] : inferenceProfileRegions(profile);
  return [
    `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${modelId}`,
    ...routed.map(foundationArn),
  ].sort();
}

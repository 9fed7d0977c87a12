/**
 * Which ARNs a role must be allowed to invoke for one model id. A plain foundation-model id needs its
 * foundation-model ARN in the stack region. A cross-region inference-profile id (`us.`, `eu.`, `apac.`, `us-gov.`
 * prefix) needs the inference-profile ARN in the stack region AND the foundation-model ARN in every region the
 * profile may route to (AWS "Prerequisites for inference profiles"; DESIGN.md, Bedrock facts) — otherwise calls
 * fail with AccessDenied whenever Bedrock routes to another region.
 */

/**
 * Regions each inference-profile geography may route to. A superset over current models: granting a region a
 * profile never routes to is harmless, missing one fails requests intermittently. Extend here when AWS adds one.
 */
const PROFILE_REGIONS: Record<string, readonly string[]> = {
  us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  'us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  eu: ['eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2', 'ap-southeast-1',
    'ap-southeast-2', 'ap-southeast-4'],
};

export interface ParsedModelId {
  /** The foundation model id (`anthropic.claude-3-7-sonnet-20250219-v1:0`). */
  foundationModel: string;
  /** Set for an inference-profile id: its geography prefix. */
  profile?: string;
}

/**
 * Splits an inference-profile id (`us.anthropic.claude-3-7-sonnet-20250219-v1:0`: geography, vendor, model) from a
 * foundation-model id (`anthropic.claude-3-7-sonnet-20250219-v1:0`: vendor, model). Throws for an unknown geography:
 * a typo would deny every call at run time instead of failing the deploy.
 */
export function parseModelId(modelId: string): ParsedModelId {
  const segments = modelId.split(':')[0]!.split('.');
  if (segments.length < 3) return { foundationModel: modelId };
  const profile = segments[0]!;
  inferenceProfileRegions(profile);
  return { foundationModel: modelId.slice(profile.length + 1), profile };
}

/** Regions a profile geography routes to. */
export function inferenceProfileRegions(profile: string): readonly string[] {
  const regions = PROFILE_REGIONS[profile];
  if (!regions) {
    throw new Error(`RV_INFRA_PROFILE: unknown inference-profile geography '${profile}'; ` +
      `known: ${Object.keys(PROFILE_REGIONS).join(', ')} (add it to infra/policies/modelArns.ts)`);
  }
  return regions;
}

const partitionOf = (region: string): string => (region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/** Every ARN `bedrock:InvokeModel` must allow for `modelId` called from `region` in `accountId`, sorted. */
export function modelInvokeArns(modelId: string, region: string, accountId: string): string[] {
  const { foundationModel, profile } = parseModelId(modelId);
  const partition = partitionOf(region);
  const foundationArn = (r: string) => `arn:${partition}:bedrock:${r}::foundation-model/${foundationModel}`;
  if (!profile) return [foundationArn(region)];
  return [
    `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${modelId}`,
    ...inferenceProfileRegions(profile).map(foundationArn),
  ].sort();
}

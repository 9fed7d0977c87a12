/**
 * Which models accept `toolResult.status` (success | error). Bedrock's ToolResultBlock reference: "This field is
 * only supported by Amazon Nova and Anthropic Claude 3 and 4 models"; other models answer a ValidationException
 * when it is present. A table of foundation-model id prefixes (the inference-profile geography stripped), so a new
 * family is one row.
 */
import { splitModelId } from '../../../compiler/manifest.ts';

const ACCEPTS_STATUS: readonly string[] = [
  'amazon.nova',
  'anthropic.claude-3',
  'anthropic.claude-sonnet-4',
  'anthropic.claude-opus-4',
  'anthropic.claude-haiku-4',
];

export function acceptsToolResultStatus(modelId: string): boolean {
  const { foundationModel } = splitModelId(modelId);
  return ACCEPTS_STATUS.some((prefix) => foundationModel.startsWith(prefix));
}

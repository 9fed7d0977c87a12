/**
 * AWS SDK errors from the Bedrock runtimes -> one stable error code and a message that says what to do next. The
 * Bedrock Agents and Converse engines share the codes; each passes its own advice where the fix differs (an agent
 * alias and `bedrock:InvokeAgent` for one, model access and `bedrock:InvokeModel` for the other).
 */
import { RetriesExhausted } from './retry.ts';

export type BedrockErrorCode =
  | 'bedrock_throttled'
  | 'bedrock_access_denied'
  | 'bedrock_not_found'
  | 'bedrock_invalid_request'
  | 'bedrock_dependency_failed'
  | 'bedrock_unavailable'
  | 'aws_credentials_missing'
  | 'bedrock_failed';

export interface EngineFailure {
  code: BedrockErrorCode;
  message: string;
}

const CODE_BY_NAME: Record<string, BedrockErrorCode> = {
  ThrottlingException: 'bedrock_throttled',
  ServiceQuotaExceededException: 'bedrock_throttled',
  TooManyRequestsException: 'bedrock_throttled',
  AccessDeniedException: 'bedrock_access_denied',
  UnrecognizedClientException: 'bedrock_access_denied',
  ResourceNotFoundException: 'bedrock_not_found',
  ValidationException: 'bedrock_invalid_request',
  DependencyFailedException: 'bedrock_dependency_failed',
  BadGatewayException: 'bedrock_dependency_failed',
  ModelNotReadyException: 'bedrock_unavailable',
  ModelTimeoutException: 'bedrock_unavailable',
  ServiceUnavailableException: 'bedrock_unavailable',
  InternalServerException: 'bedrock_unavailable',
  ConflictException: 'bedrock_unavailable',
  CredentialsProviderError: 'aws_credentials_missing',
};

const DEFAULT_ADVICE: Record<BedrockErrorCode, string> = {
  bedrock_throttled: 'Lower the processing concurrency or ask AWS for a higher Bedrock quota, then retry.',
  bedrock_access_denied: 'Check the IAM permissions of the role running this process.',
  bedrock_not_found: 'Check the ids and the AWS region (AWS_REGION) match what is deployed.',
  bedrock_invalid_request: 'The request was rejected as invalid; check the configuration named in the message.',
  bedrock_dependency_failed: 'A dependency Bedrock called failed (an action-group Lambda or a model); check its logs and retry.',
  bedrock_unavailable: 'Bedrock is temporarily unavailable; retry in a minute.',
  aws_credentials_missing: 'No AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role.',
  bedrock_failed: 'Unexpected failure; check the logs with the correlation id and retry.',
};

export function describeBedrockError(error: unknown, advice: Partial<Record<BedrockErrorCode, string>> = {}): EngineFailure {
  const exhausted = error instanceof RetriesExhausted ? error : undefined;
  const cause = (exhausted ? exhausted.cause : error) as { name?: string; message?: string; code?: string } | undefined;
  const code: BedrockErrorCode = exhausted?.kind === 'throttled' ? 'bedrock_throttled'
    : CODE_BY_NAME[cause?.name ?? ''] ?? (exhausted ? 'bedrock_unavailable' : 'bedrock_failed');
  const what = !exhausted ? 'Bedrock refused the request'
    : exhausted.kind === 'throttled' ? `Bedrock throttled the request ${exhausted.attempts} times`
      : `Bedrock was unavailable on ${exhausted.attempts} attempts`;
  const detail = [cause?.name, cause?.code, cause?.message].filter(Boolean).join(': ');
  return { code, message: `${what}${detail ? ` (${detail})` : ''}. ${advice[code] ?? DEFAULT_ADVICE[code]}` };
}

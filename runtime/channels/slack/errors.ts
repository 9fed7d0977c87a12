/**
 * Slack channel failures: a stable code, the cause kept, and the next step in the message (STYLE.md rule 11).
 */
export type SlackErrorCode =
  | 'slack_enqueue_failed'
  | 'slack_not_acknowledged'
  | 'slack_web_api_failed'
  | 'slack_bad_request';

export class SlackChannelError extends Error {
  override readonly name = 'SlackChannelError';
  constructor(
    readonly code: SlackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Slack channel failures: a stable code, the cause kept, and the next step in the message (STYLE.md rule 11).
 */
import { CodedError } from '../../../compiler/codedError.ts';

export type SlackErrorCode =
  | 'slack_enqueue_failed'
  | 'slack_not_acknowledged'
  | 'slack_web_api_failed'
  | 'slack_bad_request';

export class SlackChannelError extends CodedError<SlackErrorCode> {
  override readonly name = 'SlackChannelError';
}

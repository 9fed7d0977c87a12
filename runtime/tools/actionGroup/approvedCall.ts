/**
 * How a call Bedrock confirmed reaches the action-group Lambda without being performed twice: the processor
 * performs the approved action itself (once, audited: runtime/approvals) and answers Bedrock's confirmation request
 * with the action id in the session attributes; when Bedrock then calls the Lambda, the handler returns that
 * action's recorded result instead of running the tool again.
 */
export const ACTION_ID_ATTRIBUTE = 'revops_action_id';

export interface RecordedAction {
  tool: string;
  status: string;
  outcome?: { ok: boolean; text: string };
}

/** Reads a pending action by id (the S3 pending store on AWS). */
export type RecordedActions = (actionId: string) => Promise<RecordedAction | undefined>;

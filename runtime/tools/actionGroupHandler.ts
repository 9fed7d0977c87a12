/**
 * The one generic Bedrock action-group executor: turns a function-details event into a toolbox call and the
 * result into the documented response `{messageVersion: "1.0", response: {actionGroup, function, functionResponse:
 * {responseState?, responseBody: {TEXT: {body}}}}, sessionAttributes, promptSessionAttributes}`. The Lambda adapter
 * only passes the event in; the toolbox is the same one the offline and Converse engines use in-process.
 *
 * responseState, per the AWS definitions (FAILURE: a dependency failed and the agent ends the turn with
 * DependencyFailedException; REPROMPT: the input was unusable and the model is asked again):
 *  - FAILURE: a malformed event, a function this deployment does not have (or in another action group), and
 *    `upstream` (an external service failed);
 *  - REPROMPT: everything the model can do something about: bad parameters, refused SQL or writes, timeouts,
 *    a tool that is not configured, SQL that failed to run;
 *  - absent: success.
 * The body stays within the tool's `max_result_chars` (or `options.maxResultChars`), with a note when cut, and the
 * whole response, as the JSON Bedrock receives, under Bedrock's action-group response cap with a margin: multi-byte
 * text, JSON escaping (a quote in a row is `\\\"` once the body is a JSON string) and the session attributes echoed
 * back can all pass the cap within the character budget, so the rendered result is cut further until it fits.
 */
import { ACTION_GROUP_RESPONSE_MAX_BYTES, needsApproval } from '../../compiler/manifest.ts';
import { checkActionGroupEvent } from './actionGroup/actionGroupEvent.ts';
import { ACTION_ID_ATTRIBUTE, type RecordedActions } from './actionGroup/approvedCall.ts';
import { renderResult } from './actionGroup/renderResult.ts';
import type { ToolErrorCode, Toolbox } from './toolbox.ts';

export interface ActionGroupResponse {
  messageVersion: '1.0';
  response: {
    actionGroup: string;
    function: string;
    functionResponse: { responseState?: 'FAILURE' | 'REPROMPT'; responseBody: { TEXT: { body: string } } };
  };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

export interface ActionGroupOptions {
  /** Overrides every tool's `maxResultChars`. */
  maxResultChars?: number;
  /** Where approved actions are recorded; without it a write or notify function is always refused. */
  actions?: RecordedActions;
}

const DEFAULT_MAX_RESULT_CHARS = 20_000;
const FAILURE_CODES: ReadonlySet<ToolErrorCode> = new Set(['unknown_tool', 'upstream']);
/**
 * Kept free under Bedrock's cap (compiler/manifest.ts): what Lambda and Bedrock wrap around the JSON this function
 * returns is theirs, not ours to measure.
 */
const RESPONSE_MARGIN_BYTES = 1_000;
const RESPONSE_BUDGET_BYTES = ACTION_GROUP_RESPONSE_MAX_BYTES - RESPONSE_MARGIN_BYTES;
const MIN_BODY_CHARS = 1_000;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/**
 * The response carrying the rendered result, cut further while the response as sent would pass the budget; each
 * pass shrinks the character budget by the share of the room the body overran. Attributes too large to leave
 * MIN_BODY_CHARS are Bedrock's own, echoed as received.
 */
function replyUnderCap(reply: (body: string) => ActionGroupResponse, result: Parameters<typeof renderResult>[0], maxChars: number): ActionGroupResponse {
  let chars = maxChars;
  let response = reply(renderResult(result, chars));
  let bytes = jsonBytes(response);
  while (bytes > RESPONSE_BUDGET_BYTES && chars > MIN_BODY_CHARS) {
    const bodyBytes = jsonBytes(response.response.functionResponse.responseBody.TEXT.body);
    const room = Math.max(0, RESPONSE_BUDGET_BYTES - (bytes - bodyBytes));
    chars = Math.max(MIN_BODY_CHARS, Math.floor((chars * room * 0.95) / bodyBytes));
    response = reply(renderResult(result, chars));
    bytes = jsonBytes(response);
  }
  return response;
}

export async function handleActionGroupEvent(event: unknown, toolbox: Toolbox, options: ActionGroupOptions = {}): Promise<ActionGroupResponse> {
  const checked = checkActionGroupEvent(event);
  if (!checked.ok) {
    const raw = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
    const body = `Malformed action-group event: ${checked.problems.join('; ')}.`;
    return respond(stringOr(raw['actionGroup']), stringOr(raw['function']), 'FAILURE', body, {}, {});
  }
  const e = checked.event;
  const reply = (state: 'FAILURE' | 'REPROMPT' | undefined, body: string) =>
    respond(e.actionGroup, e.function, state, body, e.sessionAttributes, e.promptSessionAttributes);

  const tool = toolbox.tools.find((t) => t.name === e.function);
  if (tool && tool.group !== e.actionGroup) {
    return reply('FAILURE', `Function ${e.function} belongs to action group ${tool.group}, not ${e.actionGroup}; redeploy the agent from the current manifest.`);
  }
  const params: Record<string, string> = {};
  for (const parameter of e.parameters) {
    if (Object.hasOwn(params, parameter.name)) return reply('REPROMPT', `Parameter ${parameter.name} was given twice; give it once.`);
    params[parameter.name] = parameter.value;
  }
  if (tool && needsApproval(tool)) return reply(...await approvedResult(tool.name, e.sessionAttributes[ACTION_ID_ATTRIBUTE], options.actions));
  const result = await toolbox.run(e.function, params);
  const budget = options.maxResultChars ?? tool?.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
  const state = result.ok ? undefined : FAILURE_CODES.has(result.error?.code ?? 'execution') ? 'FAILURE' : 'REPROMPT';
  return replyUnderCap((text) => reply(state, text), result, budget);
}

/** A write or notify function runs only as an action approved and performed by the runtime; this is its result. */
async function approvedResult(tool: string, actionId: string | undefined, actions: RecordedActions | undefined): Promise<['REPROMPT' | undefined, string]> {
  const action = actionId && actions ? await actions(actionId) : undefined;
  if (!action || action.tool !== tool || (action.status !== 'done' && action.status !== 'failed')) {
    return ['REPROMPT', `Error (approval_required): ${tool} runs only after a person approves it; nothing was done. Tell the user it waits for approval.`];
  }
  return action.status === 'done' ? [undefined, action.outcome?.text ?? `${tool} was carried out.`] : ['REPROMPT', `Error (execution): ${action.outcome?.text ?? 'the approved call failed'}`];
}

const stringOr = (value: unknown): string => (typeof value === 'string' ? value : '');

function respond(
  actionGroup: string,
  fn: string,
  responseState: 'FAILURE' | 'REPROMPT' | undefined,
  body: string,
  sessionAttributes: Record<string, string>,
  promptSessionAttributes: Record<string, string>,
): ActionGroupResponse {
  return {
    messageVersion: '1.0',
    response: {
      actionGroup,
      function: fn,
      functionResponse: { ...(responseState ? { responseState } : {}), responseBody: { TEXT: { body } } },
    },
    sessionAttributes,
    promptSessionAttributes,
  };
}

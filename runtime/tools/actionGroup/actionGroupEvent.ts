/**
 * The Bedrock action-group Lambda event for functions defined by function details, checked by hand so that every
 * problem names its field. Shape (AWS Bedrock user guide, "Configure Lambda functions to send information that an
 * Amazon Bedrock agent elicits from the user"): `{messageVersion, agent: {name, id, alias, version}, inputText,
 * sessionId, actionGroup, function, parameters: [{name, type, value}], sessionAttributes, promptSessionAttributes}`.
 * `parameters` is absent when the function has none; parameter values are always strings.
 */

export interface ActionGroupEvent {
  messageVersion: string;
  agent: { name: string; id: string; alias: string; version: string };
  inputText: string;
  sessionId: string;
  actionGroup: string;
  function: string;
  parameters: Array<{ name: string; type: string; value: string }>;
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

export type EventCheck = { ok: true; event: ActionGroupEvent } | { ok: false; problems: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

export function checkActionGroupEvent(input: unknown): EventCheck {
  if (!isRecord(input)) return { ok: false, problems: [`event must be an object; got ${typeOf(input)}`] };
  const problems: string[] = [];
  const text = (path: string, value: unknown): void => {
    if (value === undefined) problems.push(`${path} is missing`);
    else if (typeof value !== 'string') problems.push(`${path} must be a string; got ${typeOf(value)}`);
  };
  const stringMap = (path: string, value: unknown): void => {
    if (value === undefined) return;
    if (!isRecord(value)) problems.push(`${path} must be an object of strings; got ${typeOf(value)}`);
    else for (const [key, item] of Object.entries(value)) if (typeof item !== 'string') problems.push(`${path}.${key} must be a string; got ${typeOf(item)}`);
  };
  for (const field of ['messageVersion', 'inputText', 'sessionId', 'actionGroup', 'function'] as const) text(`event.${field}`, input[field]);
  if (input['agent'] === undefined) problems.push('event.agent is missing');
  else if (!isRecord(input['agent'])) problems.push(`event.agent must be an object; got ${typeOf(input['agent'])}`);
  else for (const field of ['name', 'id', 'alias', 'version']) text(`event.agent.${field}`, input['agent'][field]);
  const parameters = input['parameters'] ?? [];
  if (!Array.isArray(parameters)) problems.push(`event.parameters must be an array; got ${typeOf(parameters)}`);
  else parameters.forEach((parameter: unknown, i) => {
    if (!isRecord(parameter)) problems.push(`event.parameters[${i}] must be an object; got ${typeOf(parameter)}`);
    else for (const field of ['name', 'type', 'value']) text(`event.parameters[${i}].${field}`, parameter[field]);
  });
  stringMap('event.sessionAttributes', input['sessionAttributes']);
  stringMap('event.promptSessionAttributes', input['promptSessionAttributes']);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    event: {
      ...(input as unknown as ActionGroupEvent),
      parameters: parameters as ActionGroupEvent['parameters'],
      sessionAttributes: (input['sessionAttributes'] ?? {}) as Record<string, string>,
      promptSessionAttributes: (input['promptSessionAttributes'] ?? {}) as Record<string, string>,
    },
  };
}

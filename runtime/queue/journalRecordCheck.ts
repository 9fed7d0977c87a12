/**
 * The shape of every embedded-queue journal record (the `RecordCheck` replay runs before `replay` sees a record): the
 * record kinds and their required fields, and for a `send` the message fields the processor and the deliveries read.
 * A record that fails is quarantined instead of replayed, so replay never meets a `null` or a `send` without a message.
 */
import { REQUIRED_CHANNEL_FIELDS } from './inboundMessage.ts';
import type { RecordCheck } from './journal.ts';

type FieldType = 'string' | 'number' | 'count' | 'object';
type Fields = Record<string, FieldType>;

/** Required fields per record kind; optional ones are checked only when present. */
const recordFields: Record<string, { required: Fields; optional?: Fields }> = {
  send: { required: { id: 'string', at: 'number', message: 'object' } },
  receive: { required: { id: 'string', count: 'count', until: 'number' } },
  ack: { required: { id: 'string' } },
  release: { required: { id: 'string', error: 'string', visibleAt: 'number' } },
  dead: { required: { id: 'string', at: 'number' }, optional: { error: 'string' } },
  key: { required: { key: 'string', at: 'number' } },
};

const messageFields: Fields = {
  id: 'string', dedupeKey: 'string', channel: 'string', agent: 'string', text: 'string', sessionId: 'string', receivedAt: 'string',
};

/** Per message kind: the channel block (named like the kind) and what the channel's delivery needs from it. */
const channelFields: Record<string, { block: string; required: Fields }> = Object.fromEntries(
  Object.entries(REQUIRED_CHANNEL_FIELDS).map(([kind, required]) => [kind, { block: kind, required }]),
);

const isType = (value: unknown, type: FieldType): boolean => {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'count': return Number.isInteger(value) && (value as number) >= 0;
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
};

const describe = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);

function fieldProblem(value: Record<string, unknown>, fields: Fields, where: string, optional = false): string | undefined {
  for (const [name, type] of Object.entries(fields)) {
    if (optional && value[name] === undefined) continue;
    if (!isType(value[name], type)) {
      return value[name] === undefined ? `${where}: ${name} is missing` : `${where}: ${name} is ${describe(value[name])}, expected ${type === 'count' ? 'a whole number' : `a ${type}`}`;
    }
  }
  return undefined;
}

function messageProblem(message: Record<string, unknown>): string | undefined {
  const channel = channelFields[String(message.kind)];
  if (!channel) return `send: message.kind is ${JSON.stringify(message.kind) ?? 'missing'}, expected one of ${Object.keys(channelFields).join(', ')}`;
  const base = fieldProblem(message, messageFields, 'send: message');
  if (base) return base;
  const block = message[channel.block];
  if (!isType(block, 'object')) return `send: message.${channel.block} is ${block === undefined ? 'missing' : describe(block)}`;
  return fieldProblem(block as Record<string, unknown>, channel.required, `send: message.${channel.block}`);
}

export const journalRecordProblem: RecordCheck = (record) => {
  if (!isType(record, 'object')) return `not a record: ${describe(record)}`;
  const value = record as Record<string, unknown>;
  const kind = recordFields[String(value.op)];
  if (!kind) return `unknown record kind: op is ${JSON.stringify(value.op) ?? 'missing'}`;
  const where = String(value.op);
  return fieldProblem(value, kind.required, where)
    ?? (kind.optional ? fieldProblem(value, kind.optional, where, true) : undefined)
    ?? (where === 'send' ? messageProblem(value.message as Record<string, unknown>) : undefined);
};

/** Schema of `specs/channels/<name>.yaml` (see SPEC_FORMAT.md, "Channel"): Slack or webhook, told apart by `kind`. */
import { DEFAULTS } from '../defaults.ts';
import { integer, name, SCHEMA_DRAFT, schemaId, strings, text } from './common.ts';
import type { FromSchema } from './from-schema.ts';

const object = <const P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, required: Object.keys(properties) as Array<keyof P & string>, properties }) as const;

// Lambda limits: 128..10240 MB, at most 900 s.
const lambda = object({
  memory_mb: integer(128, 10_240, 'Lambda memory in MB.'),
  timeout_s: integer(1, 900, 'Lambda timeout in seconds.'),
});

// SQS limits: visibility 0..43200 s, retention 1..14 days, redrive maxReceiveCount 1..1000.
const queue = object({
  visibility_timeout_s: integer(0, 43_200, 'At least 6 x processor.timeout_s.'),
  retention_days: integer(1, 14, 'Message retention in days.'),
  max_receives: integer(1, 1000, 'Receives before a message moves to the dead-letter queue.'),
});

const common = {
  name,
  entry: { ...name, description: 'The supervisor this channel talks to.' },
  ingress: lambda,
  processor: lambda,
  queue,
  log_retention_days: { ...integer(1, 3653, 'Log retention of the channel functions, days.'), default: DEFAULTS.logRetentionDays },
} as const;
const required = ['name', 'kind', 'entry', 'ingress', 'processor', 'queue'] as const;

const slack = {
  type: 'object',
  additionalProperties: false,
  required: [...required, 'bot_name'],
  properties: {
    ...common,
    kind: { const: 'slack' },
    bot_name: text(1, 80, 'The bot user name people mention.'),
    acknowledgement: { ...text(1, 3000, 'Posted in the thread at once.'), default: DEFAULTS.slack.acknowledgement },
    progress: object({
      min_interval_ms: integer(0, 60_000, 'Minimum time between progress edits.'),
      max_updates: integer(0, 100, 'Most progress edits per answer.'),
    }),
  },
} as const;

const webhook = {
  type: 'object',
  additionalProperties: false,
  required: [...required, 'auth'],
  properties: {
    ...common,
    kind: { const: 'webhook' },
    auth: {
      description: "{bearer, hmac}, or the explicit string 'none'.",
      anyOf: [object({ bearer: { type: 'boolean' }, hmac: { type: 'boolean' } }), { const: 'none' }],
    },
    limits: object({
      max_query_chars: integer(1, 100_000, 'Longest accepted query.'),
      max_body_bytes: integer(1, 10_485_760, 'Largest accepted request body.'),
      rate_per_minute: integer(1, 100_000, 'Requests per minute per caller.'),
    }),
    callback_allow: { ...strings, description: 'URL patterns a per-request callback_url must match.' },
    delivery: object({ attempts: integer(1, 10, 'Callback attempts.'), timeout_s: integer(1, 300, 'Per attempt.') }),
    status_retention_days: {
      ...integer(1, 365, "Days a request's status, and the Idempotency-Key that created it, are kept."),
      default: DEFAULTS.webhook.statusRetentionDays,
    },
  },
} as const;

export const channelSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('channel'),
  title: 'RevOps channel spec',
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [slack, webhook],
} as const;

export type ChannelSpec = FromSchema<typeof channelSchema>;
export type SlackChannelSpec = FromSchema<typeof slack>;
export type WebhookChannelSpec = FromSchema<typeof webhook>;

/**
 * Every default the spec language applies, in one place: the schemas quote them (editors show them on hover) and
 * the emitter applies them. Documented in SPEC_FORMAT.md.
 */
import type { ToolEffect, ToolKind } from './manifest.ts';

export const DEFAULTS = {
  /**
   * Claude Sonnet 4.6 through its US inference profile (the seed's Claude 3.7 Sonnet is deprecated by its vendor).
   * Its other profiles: `global.`, `eu.`, `jp.` + `anthropic.claude-sonnet-4-6`; `revops plan` refuses a profile
   * the stack's region cannot call.
   */
  model: 'us.anthropic.claude-sonnet-4-6',
  idleSessionTtlSeconds: 600,
  fiscalYearStartMonth: 1,
  collaboration: 'SUPERVISOR',
  relayConversationHistory: true,
  routesThreshold: 0.9,
  /** What `revops eval` accepts on answer evaluation suites unless a suite sets its own. */
  evalThresholds: { routing: 0.95, answers: 0.9 },
  tool: { maxRows: 200, timeoutMs: 30_000, maxResultChars: 20_000 },
  gong: { accessKeyEnv: 'GONG_ACCESS_KEY', accessKeySecretEnv: 'GONG_ACCESS_KEY_SECRET', baseUrlEnv: 'GONG_BASE_URL' },
  logRetentionDays: 30,
  /** Who approves a write or notification, and how long a proposal waits for them. */
  approval: { approvers: 'asker', expiresAfterSeconds: 3600 },
  /** The seed's Slack narration: edits at least 0.6 s apart, at most 18 of them. */
  slack: { acknowledgement: 'Diving in… I will post the answer in this thread.', progress: { minIntervalMs: 600, maxUpdates: 18 } },
  webhook: {
    limits: { maxQueryChars: 4000, maxBodyBytes: 65_536, ratePerMinute: 60 },
    delivery: { attempts: 3, timeoutSeconds: 30 },
    /** A request's status (and the Idempotency-Key that created it) is polled for a short while after delivery. */
    statusRetentionDays: 7,
  },
} as const;

export const DEFAULT_GROUP: Record<ToolKind, string> = {
  sql: 'warehouse',
  sql_query: 'warehouse',
  sql_write: 'crm_writes',
  gong: 'calls',
  web_search: 'research',
  webhook: 'actions',
  knowledge: 'knowledge',
  metrics: 'warehouse',
};

/** What a tool of each kind does to the world; a tool spec may raise it (never lower it: checks/effects.ts). */
export const DEFAULT_EFFECT: Record<ToolKind, ToolEffect> = {
  sql: 'read',
  sql_query: 'read',
  sql_write: 'write',
  gong: 'read',
  web_search: 'read',
  webhook: 'notify',
  knowledge: 'read',
  metrics: 'read',
};
/**
 * What a tool does for the user, in plain words, when its spec sets no `task`: an answer that could not use the
 * tool says "I couldn't <task>: <why>". A sql tool reads what its name says ("churn_risk" -> "read the churn risk").
 */
export const defaultTask = (kind: ToolKind, name: string): string => ({
  sql: `read the ${name.replace(/[_-]+/gu, ' ')}`,
  sql_query: 'run the custom query on the revenue data',
  sql_write: 'save the change in the CRM',
  gong: 'read the call notes',
  web_search: 'search the web',
  webhook: 'send the notification',
  knowledge: 'look it up in the knowledge documents',
  metrics: 'compute the figures',
})[kind];

/** Webhook deliveries are retried by default (the seed sent nothing on failure); reads are not. */
export const defaultRetries = (kind: ToolKind): number => (kind === 'webhook' ? 2 : 0);

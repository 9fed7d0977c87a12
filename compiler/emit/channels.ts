/** Channel specs -> manifest channels (seconds and camelCase, defaults applied). */
import { DEFAULTS } from '../defaults.ts';
import type { LambdaSettings, ManifestChannel } from '../manifest.ts';
import type { Spec } from '../project.ts';
import type { ChannelSpec } from '../schema/index.ts';

const DAY_SECONDS = 86_400;
const lambda = (l: { memory_mb: number; timeout_s: number }): LambdaSettings => ({ memoryMb: l.memory_mb, timeoutSeconds: l.timeout_s });

export function emitChannel({ value: c, file }: Spec<ChannelSpec>): ManifestChannel {
  const base = {
    name: c.name,
    entry: c.entry,
    ingress: lambda(c.ingress),
    processor: lambda(c.processor),
    queue: {
      visibilityTimeoutSeconds: c.queue.visibility_timeout_s,
      retentionSeconds: c.queue.retention_days * DAY_SECONDS,
      maxReceives: c.queue.max_receives,
    },
    logRetentionDays: c.log_retention_days ?? DEFAULTS.logRetentionDays,
    source: file.path,
  };
  if (c.kind === 'slack') {
    const progress = c.progress
      ? { minIntervalMs: c.progress.min_interval_ms, maxUpdates: c.progress.max_updates }
      : { ...DEFAULTS.slack.progress };
    return { ...base, kind: 'slack', botName: c.bot_name, acknowledgement: c.acknowledgement ?? DEFAULTS.slack.acknowledgement, progress };
  }
  const limits = c.limits
    ? { maxQueryChars: c.limits.max_query_chars, maxBodyBytes: c.limits.max_body_bytes, ratePerMinute: c.limits.rate_per_minute }
    : { ...DEFAULTS.webhook.limits };
  const delivery = c.delivery ? { attempts: c.delivery.attempts, timeoutSeconds: c.delivery.timeout_s } : { ...DEFAULTS.webhook.delivery };
  return {
    ...base, kind: 'webhook', auth: c.auth, limits, callbackAllow: c.callback_allow ?? [], delivery,
    statusRetentionDays: c.status_retention_days ?? DEFAULTS.webhook.statusRetentionDays,
  };
}

/** Hand-made manifests for runtime tests: one supervisor, a webhook channel, no Slack unless asked; channel specs as the compiler emits them. */
import type { Manifest, ManifestSlackChannel, ManifestWebhookChannel } from '../../../compiler/manifest.ts';

export function slackChannel(overrides: Partial<ManifestSlackChannel> = {}): ManifestSlackChannel {
  return {
    kind: 'slack',
    name: 'slack',
    entry: 'manager',
    botName: 'RevBot',
    acknowledgement: "👋 Hey there! I'm diving into this — give me a moment.",
    progress: { minIntervalMs: 1_000, maxUpdates: 5 },
    ingress: { memoryMb: 256, timeoutSeconds: 10 },
    processor: { memoryMb: 512, timeoutSeconds: 120 },
    queue: { visibilityTimeoutSeconds: 720, retentionSeconds: 1_209_600, maxReceives: 3 },
    logRetentionDays: 30,
    approval: { approvers: { kind: 'asker' }, expiresAfterSeconds: 3600 },
    source: 'specs/channels/slack.yaml',
    ...overrides,
  };
}

export function webhookChannel(overrides: Partial<ManifestWebhookChannel> = {}): ManifestWebhookChannel {
  return {
    kind: 'webhook', name: 'webhook', entry: 'manager', source: 'specs/channels/webhook.yaml',
    auth: { bearer: true, hmac: true },
    limits: { maxQueryChars: 1000, maxBodyBytes: 4096, ratePerMinute: 1000 },
    callbackAllow: ['http://127.0.0.1/'],
    delivery: { attempts: 3, timeoutSeconds: 30 },
    statusRetentionDays: 7,
    ingress: { memoryMb: 512, timeoutSeconds: 30 },
    processor: { memoryMb: 512, timeoutSeconds: 900 },
    queue: { visibilityTimeoutSeconds: 5400, retentionSeconds: 14 * 86400, maxReceives: 3 },
    logRetentionDays: 30,
    approval: { approvers: { kind: 'asker' }, expiresAfterSeconds: 3600 },
    ...overrides,
  };
}

export function testManifest(channel: ManifestWebhookChannel = webhookChannel()): Manifest {
  return {
    version: 1, hash: 'test-manifest-hash',
    defaults: { model: 'test-model', idleSessionTtlSeconds: 600, fiscalYearStartMonth: 1 },
    agents: [], tools: [{
      name: 'deal_lookup', kind: 'sql', description: 'Find a deal', task: 'find the deal', group: 'deals', effect: 'read', approval: 'none', parameters: [], sql: 'SELECT 1',
      maxRows: 50, timeoutMs: 5000, maxResultChars: 4000, retries: 0, source: 'specs/tools/deal_lookup.yaml',
    }],
    routes: [], channels: [channel], knowledge: { documents: [], hash: '' }, metrics: [],
  };
}

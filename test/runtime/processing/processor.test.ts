import { describe, expect, it } from 'vitest';
import { createProcessor } from '../../../runtime/processing/processor.ts';
import { channelMetricsOf } from '../../../runtime/channels/channels.ts';
import { createMemoryDoneSet } from '../../../runtime/processing/doneSet.ts';
import type { Delivery, InboundMessage, Outcome } from '../../../runtime/processing/inbound.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';
import type { Engine } from '../../../runtime/engines/engine.ts';
import { silentLogger } from '../../../runtime/logging/logger.ts';
import { createPrometheusRegistry } from '../../../runtime/metrics/prometheus.ts';
import { scriptedEngine } from '../helpers/engines.ts';
import { webhookMessage } from '../helpers/messages.ts';

function recordingDelivery(failTimes = 0): Delivery & { delivered: Outcome[]; progressed: TraceEvent[] } {
  let failures = 0;
  const delivered: Outcome[] = [];
  const progressed: TraceEvent[] = [];
  return {
    delivered, progressed,
    async progress(_m, event) {
      progressed.push(event);
    },
    async deliver(_m: InboundMessage, outcome: Outcome) {
      if (failures < failTimes) {
        failures += 1;
        throw new Error('receiver down');
      }
      delivered.push(outcome);
    },
  };
}

const engineEvents: TraceEvent[] = [{ type: 'answer', agent: 'manager', at: '2026-01-01T00:00:00.000Z', text: 'done' } as TraceEvent];

const engineOf = (events: TraceEvent[] | (() => never)): Engine => ({
  name: 'offline',
  async *invoke() {
    if (typeof events === 'function') events();
    else yield* events;
  },
});

describe('processor', () => {
  it('runs the engine, forwards every event as progress, and delivers the answer with its route', async () => {
    const webhook = recordingDelivery();
    const metrics = createPrometheusRegistry();
    const processor = createProcessor({ engine: scriptedEngine(), deliveries: { webhook }, metrics, logger: silentLogger(), processed: channelMetricsOf });
    await processor.process(webhookMessage({ text: 'status of IXIS' }), 1);
    expect(webhook.progressed.map((e) => e.type)).toEqual(['route', 'tool_call', 'tool_result', 'answer']);
    expect(webhook.delivered).toHaveLength(1);
    expect(webhook.delivered[0]).toMatchObject({ status: 'done', agent: 'deal_analysis', skill: 'deal_status' });
    expect(webhook.delivered[0]!.answer).toContain('status of IXIS');
    expect(metrics.render()).toContain('revops_processing_duration_seconds_count{source="crm_dashboard",request_type="webhook",agent="deal_analysis"} 1');
  });

  it.each([
    ['an error event', [{ type: 'error', agent: 'manager', at: new Date().toISOString(), code: 'model_unavailable', message: 'down' }], 'model_unavailable'],
    ['an empty answer', [{ type: 'answer', agent: 'manager', at: new Date().toISOString(), text: '   ' }], 'empty_answer'],
    ['no events at all', [], 'no_events'],
  ] as Array<[string, TraceEvent[], string]>)('turns %s into a short apology naming the correlation id', async (_name, events, code) => {
    const webhook = recordingDelivery();
    const processor = createProcessor({ engine: engineOf(events), deliveries: { webhook }, metrics: createPrometheusRegistry(), logger: silentLogger() });
    const message = webhookMessage();
    await processor.process(message, 1);
    const [outcome] = webhook.delivered;
    expect(outcome).toMatchObject({ status: 'failed', error: { code } });
    expect(outcome!.answer).toContain(message.id);
    expect(outcome!.answer.length).toBeLessThan(200);
  });

  it('turns an engine that throws into an apology without the exception text', async () => {
    const webhook = recordingDelivery();
    const engine = engineOf(() => {
      throw new Error('secret internal detail at /srv/app.ts:12');
    });
    const processor = createProcessor({ engine, deliveries: { webhook }, metrics: createPrometheusRegistry(), logger: silentLogger() });
    await processor.process(webhookMessage(), 1);
    expect(webhook.delivered[0]).toMatchObject({ status: 'failed', error: { code: 'engine_failed' } });
    expect(JSON.stringify(webhook.delivered[0])).not.toContain('secret internal detail');
  });

  it('throws when delivery fails (so the queue retries) and records the answer as done only after delivery', async () => {
    const webhook = recordingDelivery(1);
    const done = createMemoryDoneSet();
    const engine = scriptedEngine();
    const processor = createProcessor({ engine, deliveries: { webhook }, metrics: createPrometheusRegistry(), logger: silentLogger(), done });
    const message = webhookMessage();
    await expect(processor.process(message, 1)).rejects.toMatchObject({ code: 'delivery_failed' });
    expect(await done.has(message.dedupeKey)).toBe(false);
    await processor.process(message, 2);
    expect(await done.has(message.dedupeKey)).toBe(true);
    await processor.process(message, 3); // a redelivery after the answer went out
    expect(webhook.delivered).toHaveLength(1);
    expect(engine.invocations).toHaveLength(2);
  });

  it('two deliveries of one message at once answer once: the second waits for the first one\'s answer', async () => {
    const webhook = recordingDelivery();
    const done = createMemoryDoneSet();
    const engine = scriptedEngine({ delayMs: 50 });
    const processor = createProcessor({ engine, deliveries: { webhook }, metrics: createPrometheusRegistry(), logger: silentLogger(), done });
    const message = webhookMessage();
    const results = await Promise.allSettled([processor.process(message, 1), processor.process(message, 2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(webhook.delivered).toHaveLength(1);
    expect(engine.invocations).toHaveLength(1);
    await processor.process(message, 3); // a later offer
    expect(webhook.delivered).toHaveLength(1);
  });

  it('a delivery whose message stays in progress elsewhere past the wait leaves it to the queue, answering nothing', async () => {
    const webhook = recordingDelivery();
    const done = createMemoryDoneSet();
    const engine = scriptedEngine();
    const processor = createProcessor({ engine, deliveries: { webhook }, metrics: createPrometheusRegistry(), logger: silentLogger(), done, busyWaitMs: 300 });
    const message = webhookMessage();
    const held = await done.claim(message.dedupeKey);
    await expect(processor.process(message, 2)).rejects.toMatchObject({ code: 'in_progress' });
    expect(engine.invocations).toHaveLength(0);
    if (held.status === 'claimed') await held.release();
    await processor.process(message, 3);
    expect(webhook.delivered).toHaveLength(1);
  });

  it('fails messages of a channel without a delivery', async () => {
    const processor = createProcessor({ engine: scriptedEngine(), deliveries: {}, metrics: createPrometheusRegistry(), logger: silentLogger() });
    await expect(processor.process(webhookMessage(), 1)).rejects.toMatchObject({ code: 'channel_not_configured' });
  });
});

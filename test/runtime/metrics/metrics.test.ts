import { describe, expect, it } from 'vitest';
import { createPrometheusRegistry } from '../../../runtime/metrics/prometheus.ts';
import { createEmfMetrics } from '../../../runtime/metrics/emf.ts';

describe('metrics', () => {
  it('renders Prometheus text: counters summed per label set, a duration histogram, escaped labels', () => {
    const registry = createPrometheusRegistry();
    registry.emit({ WebhookDeliverySuccess: 1, ProcessingDuration: 0.7 }, { source: 'crm', request_type: 'webhook', agent: 'deal_analysis' });
    registry.emit({ WebhookDeliverySuccess: 1, ProcessingDuration: 3 }, { source: 'crm', request_type: 'webhook', agent: 'deal_analysis' });
    registry.emit({ Errors: 1 }, { source: 'say "hi"\n' });
    // The same dimensions written in another order are the same series.
    registry.emit({ WebhookDeliverySuccess: 1 }, { agent: 'deal_analysis', request_type: 'webhook', source: 'crm' });
    const text = registry.render();
    expect(text).toContain('# TYPE revops_webhook_delivery_success_total counter');
    expect(text).toContain('revops_webhook_delivery_success_total{source="crm",request_type="webhook",agent="deal_analysis"} 3');
    expect(text.match(/revops_webhook_delivery_success_total\{/g)).toHaveLength(1);
    expect(text).toContain('revops_processing_duration_seconds_bucket{source="crm",request_type="webhook",agent="deal_analysis",le="1"} 1');
    expect(text).toContain('revops_processing_duration_seconds_bucket{source="crm",request_type="webhook",agent="deal_analysis",le="5"} 2');
    expect(text).toContain('revops_processing_duration_seconds_count{source="crm",request_type="webhook",agent="deal_analysis"} 2');
    expect(text).toContain('revops_errors_total{source="say \\"hi\\"\\n"} 1');
  });

  it('is served on GET /metrics as Prometheus text', async () => {
    const { testRuntime, jsonPost } = await import('../../support/runtime.ts');
    const rt = await testRuntime();
    await rt.app.request('/webhook', jsonPost({ query: 'q', source_system: 'crm' }));
    const res = await rt.app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await res.text()).toContain('revops_webhook_requests_accepted_total{source="crm",request_type="webhook"} 1');
    await rt.dispose();
  });

  it('writes CloudWatch Embedded Metric Format lines with the seed\'s names and dimensions', () => {
    const lines: string[] = [];
    const emf = createEmfMetrics({ namespace: 'RevOps', sink: (l) => lines.push(l), now: () => 1_700_000_000_000 });
    emf.emit({ ProcessingDuration: 2.5, AgentsInvoked: 2, SQLQueriesExecuted: 3 }, { source: 'slack', request_type: 'slack', agent: 'deal_analysis' });
    expect(JSON.parse(lines[0]!)).toEqual({
      _aws: { Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{
        Namespace: 'RevOps', Dimensions: [['source', 'request_type', 'agent']],
        Metrics: [{ Name: 'ProcessingDuration', Unit: 'Seconds' }, { Name: 'AgentsInvoked', Unit: 'Count' }, { Name: 'SQLQueriesExecuted', Unit: 'Count' }],
      }] },
      source: 'slack', request_type: 'slack', agent: 'deal_analysis', ProcessingDuration: 2.5, AgentsInvoked: 2, SQLQueriesExecuted: 3,
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookTool } from '../../compiler/manifest.ts';
import { createToolbox } from '../../runtime/tools/createToolbox.ts';
import type { ResolvedAddress, ToolContext } from '../../runtime/tools/toolbox.ts';
import { matchAllowlist } from '../../runtime/tools/webhook/urlAllowlist.ts';
import type { Warehouse } from '../../runtime/warehouse/warehouse.ts';
import { type LoopbackServer, type Reply, startLoopbackServer } from './helpers/loopbackServer.ts';
import { openSampleWarehouse } from './helpers/sampleWarehouse.ts';
import { approvedCalls, asKind, shippedTools, testContext } from './helpers/tools.ts';

let replies: Reply[] = [];
let server: LoopbackServer;
let warehouse: Warehouse;
let shipped: WebhookTool;

beforeAll(async () => {
  server = await startLoopbackServer(async (request) => {
    if (request.path.startsWith('/hooks/slow')) await new Promise((resolve) => setTimeout(resolve, 1500));
    return replies.shift() ?? { status: 200, body: 'ok' };
  });
  warehouse = await openSampleWarehouse();
  shipped = asKind((await shippedTools()).find((t) => t.name === 'webhook_executor'), 'webhook');
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});
beforeEach(() => {
  replies = [];
  server.requests.length = 0;
});

/** Host names resolve through this table, so a name can point at a private address without a DNS server. */
const resolver = (table: Record<string, string[]>): ToolContext['resolveHost'] => async (hostname) => {
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function webhook(allow: string[], fields: Partial<WebhookTool> = {}, table: Record<string, string[]> = {}) {
  // Delivery is under test here, not the recipient rule (previews.ts): every call is for the same AE.
  const parameters = shipped.parameters.map((p) => (p.name === 'recipient' ? { ...p, required: false, default: 'AE Sarah Johnson' } : p));
  const tool = { ...shipped, parameters, allow, ...fields };
  return approvedCalls(createToolbox([tool], testContext(warehouse, { resolveHost: resolver(table) })));
}

describe('webhook: delivery to an explicitly allow-listed receiver', () => {
  it('POSTs the JSON notification, retrying a 503 until it succeeds', async () => {
    replies = [{ status: 503, body: 'busy' }, { status: 200, body: 'ok' }];
    const toolbox = webhook([`http://127.0.0.1:${server.port}/hooks/`]);
    const result = await toolbox.run('webhook_executor', { url: `${server.url}/hooks/revops/secret-token`, message: 'IXIS moved to Negotiate', event_type: 'deal_update' });
    expect(result).toMatchObject({ ok: true, text: `Delivered to ${server.url}/hooks/…: HTTP 200 after 2 attempts. Receiver said: ok` });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ message: 'IXIS moved to Negotiate', text: 'IXIS moved to Negotiate', event_type: 'deal_update', recipient: 'AE Sarah Johnson' });
    // An approved call carries its action id, the same on every attempt, for the receiver to dedupe a resend.
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['test-approved-call', 'test-approved-call']);
  });

  it('refuses a placeholder destination and an unconfigured default, saying what to configure, and sends nothing', async () => {
    const placeholder = await webhook(shipped.allow).run('webhook_executor', { url: 'https://hooks.example.com/revops/notifications', message: 'm' });
    expect(placeholder).toMatchObject({ ok: false, error: { code: 'not_configured', message: expect.stringContaining('placeholder address') } });
    const unset = await webhook(shipped.allow).run('webhook_executor', { message: 'm' });
    expect(unset).toMatchObject({ ok: false, error: { code: 'not_configured', message: expect.stringContaining('set REVOPS_NOTIFY_URL') } });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a write or notify tool called outside an approved action', async () => {
    const raw = createToolbox([{ ...shipped, allow: [`${server.url}/hooks/`] }], testContext(warehouse));
    const result = await raw.run('webhook_executor', { url: `${server.url}/hooks/x`, message: 'm', recipient: 'AE' });
    expect(result).toMatchObject({ ok: false, error: { code: 'approval_required' } });
    expect(server.requests).toHaveLength(0);
  });

  it('reaches a private address through a host name the allow list names literally', async () => {
    const toolbox = webhook([`http://receiver.internal:${server.port}/hooks/`], {}, { 'receiver.internal': ['127.0.0.1'] });
    const result = await toolbox.run('webhook_executor', { url: `http://receiver.internal:${server.port}/hooks/a`, message: 'hi' });
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after the configured retries on persistent 5xx', async () => {
    replies = [{ status: 500 }, { status: 502 }, { status: 503, body: 'down' }];
    const result = await webhook([`${server.url}/hooks/`]).run('webhook_executor', { url: `${server.url}/hooks/x`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream', message: `${server.url}/hooks/… failed after 3 attempts; last: HTTP 503: down.` } });
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 4xx refusal', async () => {
    replies = [{ status: 400, body: 'bad payload' }];
    const result = await webhook([`${server.url}/hooks/`]).run('webhook_executor', { url: `${server.url}/hooks/x`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain('HTTP 400: bad payload');
    expect(server.requests).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    replies = [{ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }];
    const result = await webhook([`${server.url}/hooks/`]).run('webhook_executor', { url: `${server.url}/hooks/x`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain('redirects are not followed');
    expect(result.error!.message).toContain('http://169.254.169.254/latest/… (not allow-listed)');
    expect(server.requests).toHaveLength(1);
  });

  it('reads at most 64 KB of a receiver\'s answer; its 2xx still counts', async () => {
    replies = [{ status: 200, body: 'z'.repeat(1024 * 1024) }];
    const result = await webhook([`${server.url}/hooks/`]).run('webhook_executor', { url: `${server.url}/hooks/x`, message: 'm' });
    expect(result).toMatchObject({ ok: true });
    expect(result.text).toContain(`Delivered to ${server.url}/hooks/…: HTTP 200 after 1 attempt.`);
    expect(server.requests).toHaveLength(1);
  });

  it('treats a receiver that does not answer in time as a failed attempt', async () => {
    const result = await webhook([`${server.url}/hooks/`], { timeoutMs: 200, retries: 0 }).run('webhook_executor', { url: `${server.url}/hooks/slow`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain('timed out');
  });
});

describe('webhook: refusals before anything is sent', () => {
  it.each([
    ['another path', `/other`],
    ['a path that only shares a prefix string', `/hooksevil`],
  ])('refuses %s', async (_, path) => {
    const result = await webhook([`${server.url}/hooks`]).run('webhook_executor', { url: `${server.url}${path}`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(result.error!.message).toContain(`is not in the allow list of webhook_executor; allowed: ${server.url}/hooks`);
  });

  it('refuses the shipped default destinations\' look-alikes', async () => {
    const result = await webhook(shipped.allow).run('webhook_executor', { url: 'https://hooks.example.com.evil.test/revops', message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it.each([
    ['loopback', ['127.0.0.1']],
    ['private', ['10.0.0.5']],
    ['link-local', ['169.254.169.254']], // cloud instance metadata
    ['private (unique local)', ['fd00::1']],
    ['loopback', ['::ffff:127.0.0.1']],
    ['unspecified', ['0.0.0.0']],
    ['private', ['93.184.216.34', '192.168.1.10']],
  ])('refuses a wildcard-matched host that resolves to a %s address %j', async (kind, addresses) => {
    const toolbox = webhook([`http://*.example.test:${server.port}/`], {}, { 'hooks.example.test': addresses });
    const result = await toolbox.run('webhook_executor', { url: `http://hooks.example.test:${server.port}/x`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(result.error!.message).toContain(`resolves to ${kind} address`);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an IP literal that only a wildcard matches', async () => {
    const result = await webhook([`http://*.0.0.1:${server.port}/`]).run('webhook_executor', { url: `${server.url}/x`, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(result.error!.message).toContain('loopback address 127.0.0.1');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [`http://user:pass@127.0.0.1/hooks/`, 'may not carry credentials'],
    ['file:///etc/passwd', 'Only http and https'],
  ])('refuses %s', async (url, message) => {
    const result = await webhook([`${server.url}/hooks/`]).run('webhook_executor', { url, message: 'm' });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(result.error!.message).toContain(message);
  });
});

describe('allow patterns', () => {
  it.each([
    ['https://hooks.example.com/', 'https://hooks.example.com/revops/x', { allowed: true, explicitHost: true }],
    ['https://hooks.example.com/', 'http://hooks.example.com/revops/x', { allowed: false, explicitHost: false }],
    ['https://hooks.example.com/', 'https://hooks.example.com:8443/x', { allowed: false, explicitHost: false }],
    ['https://*.example.com/', 'https://a.example.com/x', { allowed: true, explicitHost: false }],
    ['https://*.example.com/', 'https://a.b.example.com/x', { allowed: false, explicitHost: false }],
    ['https://*.example.com/', 'https://example.com/x', { allowed: false, explicitHost: false }],
    ['https://hooks.slack.com/services/', 'https://HOOKS.slack.com/services/T0/B0/x', { allowed: true, explicitHost: true }],
    ['https://hooks.slack.com/services/', 'https://hooks.slack.com/servicesX', { allowed: false, explicitHost: false }],
    ['http://[::1]:8080/', 'http://[::1]:8080/x', { allowed: true, explicitHost: true }],
  ])('%s vs %s', (pattern, url, expected) => {
    expect(matchAllowlist(new URL(url), [pattern])).toEqual(expected);
  });
});

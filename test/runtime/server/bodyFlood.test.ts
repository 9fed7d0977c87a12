/**
 * Issue 10, defect 4: five parallel unsigned 100 MB bodies on `/slack/events` took the real server from 207 MB to
 * 1,078 MB, because the body was read whole before the signature check. Here the real server (`revops serve` in a
 * child process) gets the same five bodies, streamed by the test and never allocated whole: each is answered 413,
 * the server stops reading each connection after about the limit (the test could push only what the kernel buffers
 * hold), and the server's resident memory stays within 50 MB of its idle figure. The test prints the figures.
 */
import { spawnServe } from '../../support/serveProcess.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MB = 1024 * 1024;
const BODY_BYTES = 100 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

let dataDir: string;
let server: ChildProcess;
let baseUrl: string;

async function startServer(): Promise<string> {
  const served = await spawnServe({
    REVOPS_DATA_DIR: dataDir, REVOPS_ENGINE: 'offline', REVOPS_LOG_LEVEL: 'error',
    SLACK_SIGNING_SECRET: 'flood-test-signing-secret', SLACK_BOT_TOKEN: 'xoxb-flood-test', SLACK_API_URL: 'http://127.0.0.1:9/api/',
    WEBHOOK_API_KEYS: 'flood-test-key-aaaaaaaaaaaa',
  }, (proc) => { server = proc; });
  return served.url;
}

/** The server's resident set in MB, from /proc (Linux). */
const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;

interface Outcome {
  status?: number;
  body: string;
  /** Body bytes the test managed to hand to the socket before the answer came. */
  sent: number;
}

/** How the body goes out: chunked, or with a declared Content-Length (then streamed, or never sent at all). */
type Sending = 'chunked' | 'declared' | 'declared, headers only';

/**
 * POSTs a 100 MB body one 64 KB chunk at a time and stops once the answer arrives (as a client that reads early
 * responses does). 'declared, headers only' sends no body byte: an answer then shows a refusal before reading.
 */
function flood(path: string, sending: Sending): Promise<Outcome> {
  return new Promise((resolveOutcome, reject) => {
    const url = new URL(path, baseUrl);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=unsigned',
      ...(sending === 'chunked' ? {} : { 'content-length': String(BODY_BYTES) }),
    };
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false });
    const outcome: Outcome = { body: '', sent: 0 };
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      outcome.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (text: string) => { outcome.body += text; });
      res.on('end', () => {
        req.destroy();
        resolveOutcome(outcome);
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(new Error(`${path}: no answer after ${outcome.sent} body bytes: ${error.message}`));
    });
    const pump = (): void => {
      if (answered) return;
      if (outcome.sent >= BODY_BYTES) {
        req.end();
        return;
      }
      outcome.sent += CHUNK.length;
      req.write(CHUNK, () => setImmediate(pump));
    };
    if (sending === 'declared, headers only') req.flushHeaders();
    else pump();
  });
}

async function measured<T>(work: () => Promise<T>): Promise<{ result: T; idle: number; peak: number }> {
  const idle = rssMb();
  let peak = idle;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb()); }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, rssMb());
    return { result, idle, peak };
  } finally {
    clearInterval(sampler);
  }
}

const report = (label: string, m: { idle: number; peak: number }, outcomes: Outcome[]): void => {
  console.info(`${label}: idle ${m.idle.toFixed(1)} MB, peak ${m.peak.toFixed(1)} MB (+${(m.peak - m.idle).toFixed(1)} MB); ` +
    `statuses ${outcomes.map((o) => o.status).join(',')}; body bytes sent ${outcomes.map((o) => (o.sent / MB).toFixed(1)).join(',')} MB`);
};

describe.skipIf(!existsSync('/proc/self/status'))('100 MB bodies against the real server', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'revops-flood-'));
    baseUrl = await startServer();
    await new Promise((r) => setTimeout(r, 1_000)); // start-up garbage collected before the idle figure
  });
  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each<Sending>(['chunked', 'declared'])('answers five parallel unsigned 100 MB Slack bodies (%s) 413 and stays within 50 MB of idle', { timeout: 120_000 }, async (sending) => {
    const m = await measured(() => Promise.all(Array.from({ length: 5 }, () => flood('/slack/events', sending))));
    report(`5 x 100 MB ${sending} to /slack/events`, m, m.result);
    for (const outcome of m.result) {
      expect(outcome.status).toBe(413);
      expect(JSON.parse(outcome.body)).toMatchObject({ error: { code: 'body_too_large', message: 'the request body must be at most 1048576 bytes' } });
      // The server stopped reading: what went out beyond the 1 MiB limit is what the kernel's socket buffers hold.
      expect(outcome.sent).toBeLessThan(32 * MB);
    }
    expect(m.peak - m.idle).toBeLessThan(50);
  });

  it('answers a Content-Length over the limit before any of the body is sent', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => flood('/slack/events', 'declared, headers only')));
    expect(outcomes.map((o) => [o.status, o.sent])).toEqual(Array.from({ length: 5 }, () => [413, 0]));
  });

  it.each<Sending>(['chunked', 'declared'])('answers a 100 MB webhook body (%s) 413 at the channel\'s max_body_bytes', { timeout: 120_000 }, async (sending) => {
    const m = await measured(() => flood('/webhook', sending));
    report(`100 MB ${sending} to /webhook`, m, [m.result]);
    expect(m.result.status).toBe(413);
    // specs/channels/webhook.yaml: max_body_bytes 262144.
    expect(JSON.parse(m.result.body)).toMatchObject({ error: { code: 'body_too_large', message: 'the request body must be at most 262144 bytes' } });
    expect(m.result.sent).toBeLessThan(32 * MB);
    expect(m.peak - m.idle).toBeLessThan(50);
  });
});

/**
 * A small in-process HTTP load generator for the loopback benches (server, Slack): keep-alive sockets, bounded by
 * request count and wall time. `saturate` keeps `concurrency` requests in flight (throughput); `fixedRate` sends on
 * a fixed schedule and measures each latency from the request's scheduled time, so a stalled server shows up in the
 * percentiles instead of silently slowing the generator down (coordinated omission).
 */
import { Agent, request as httpRequest } from 'node:http';

export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Builds the i-th request (0-based). */
  make: (i: number) => LoadRequest;
  total: number;
  /** Stop scheduling after this long even if `total` was not reached. */
  maxMs?: number;
  onResponse?: (i: number, status: number, body: string) => void;
}

export interface LoadResult {
  sent: number;
  completed: number;
  /** Responses by HTTP status; `0` counts transport errors. */
  statuses: Record<number, number>;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function saturate(options: LoadOptions & { concurrency: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const run = recorder(options);
  let next = 0;
  const deadline = run.started + (options.maxMs ?? 60_000);
  const worker = async (): Promise<void> => {
    while (next < options.total && performance.now() < deadline) {
      const i = next++;
      await run.send(agent, i, performance.now());
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  return run.result();
}

export async function fixedRate(options: LoadOptions & { ratePerSecond: number; maxInFlight?: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight ?? 256 });
  const run = recorder(options);
  const interval = 1000 / options.ratePerSecond;
  const deadline = run.started + (options.maxMs ?? 60_000);
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < options.total; i += 1) {
    const due = run.started + i * interval;
    if (due > deadline) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // From the scheduled time when the send is late (a stalled server shows), from the send when it is early.
    inFlight.push(run.send(agent, i, Math.min(due, performance.now())));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return run.result();
}

function recorder(options: LoadOptions) {
  const url = new URL(options.baseUrl);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let sent = 0;
  const send = (agent: Agent, i: number, scheduledAt: number): Promise<void> => {
    const spec = options.make(i);
    sent += 1;
    return new Promise((resolve) => {
      const done = (status: number, body: string): void => {
        latencies.push(performance.now() - scheduledAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
        options.onResponse?.(i, status, body);
        resolve();
      };
      const req = httpRequest({
        agent, host: url.hostname, port: url.port, method: spec.method, path: spec.path,
        headers: { ...spec.headers, ...(spec.body !== undefined ? { 'content-length': String(Buffer.byteLength(spec.body)) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => done(0, ''));
      });
      req.on('error', () => done(0, ''));
      req.end(spec.body);
    });
  };
  const result = (): LoadResult => {
    const elapsedMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    return {
      sent, completed: latencies.length, statuses, elapsedMs, requestsPerSecond: (latencies.length / elapsedMs) * 1000,
      p50Ms: pct(50), p99Ms: pct(99), maxMs: sorted.at(-1) ?? 0,
    };
  };
  return { started, send, result };
}

/**
 * Webhook accept path on loopback (issue 5): (a) saturation requests/s of `POST /webhook` on the real runtime, with
 * every acceptance fsynced before its 200 (group commit), next to a bare `node:http` server answering 200 — target
 * at least 50%; (b) p50/p99 latency at a fixed 500 requests/s — target p99 under 50 ms; (c) every accepted request
 * later answered (status `done` via `GET /webhook/:id`), processed by a trivial engine that answers at once, so the
 * figures are the server's and not the agents'. Both servers run in child processes. Saturation is driven by `wrk`
 * when installed (wrk.ts; it prints its own ceiling against the bare server and both sides' CPU), else only by the
 * Node load generator (loadGenerator.ts, keep-alive sockets), which saturates before bare `node:http` does and so
 * understates the gap; (b) and (c) use the Node generator, which keeps every tracking id.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchPart } from './run.ts';
import { fixedRate, saturate, type LoadRequest, type LoadResult } from './loadGenerator.ts';
import { BENCH_KEY } from './fixtures/webhookServer.ts';
import { loadavg } from 'node:os';
import { runWrk, WRK_MISSING, type WrkResult, wrkPresent } from './wrk.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SATURATE = { total: 2000, concurrency: 32 };
const RATE = { ratePerSecond: 500, total: 2500 };

interface Child {
  url: string;
  pid: number;
  ask<T>(message: string): Promise<T>;
  stop(): Promise<void>;
}

async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = fork(join(here, 'fixtures', script), [], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { url: string }).url));
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url,
    pid: proc.pid!,
    ask: <T>(message: string) => new Promise<T>((resolve) => {
      proc.once('message', (m) => resolve(m as T));
      proc.send(message);
    }),
    stop: () => new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.send('stop');
    }),
  };
}

const webhookRequest = (i: number): LoadRequest => ({
  method: 'POST', path: '/webhook',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` },
  body: JSON.stringify({ query: `What deals are closing this quarter? (#${i})`, source_system: 'bench' }),
});

const WRK = { seconds: 8, connections: 32, threads: 1 };

const fmtWrk = (r: WrkResult): string =>
  `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, ${r.failed} failed; ` +
  `CPU: wrk ${(100 * r.generatorCpu).toFixed(0)}%, server ${(100 * r.serverCpu).toFixed(0)}% of a core`;

const fmt = (r: LoadResult): string =>
  `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, statuses ${JSON.stringify(r.statuses)}`;

/** Waits until the server's queues are empty (healthz reports them). */
async function drained(url: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { queues: Record<string, { visible: number; inFlight: number }> };
    if (Object.values(health.queues).every((q) => q.visible + q.inFlight === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const part: BenchPart = {
  order: 4,
  title: 'server: webhook accept path (durable, group commit) vs bare node:http',
  async run(log) {
    const bare = await startChild('bareServer.ts');
    const ours = await startChild('webhookServer.ts');
    const accepted: string[] = [];
    const collect = (_i: number, status: number, body: string): void => {
      if (status === 200) accepted.push((JSON.parse(body) as { tracking_id: string }).tracking_id);
    };
    try {
      await saturate({ baseUrl: bare.url, make: webhookRequest, total: 300, concurrency: 8 });
      await saturate({ baseUrl: ours.url, make: webhookRequest, total: 300, concurrency: 8, onResponse: collect });

      if (wrkPresent()) {
        const request = { path: '/webhook', headers: webhookRequest(0).headers!, bodyTemplate: JSON.stringify({ query: 'What deals are closing this quarter? (##N)', source_system: 'bench' }) };
        const bareWrk = await runWrk(bare.url, request, bare.pid, WRK);
        const oursWrk = await runWrk(ours.url, request, ours.pid, WRK);
        log(`(a) saturation by wrk, ${WRK.connections} connections, ${WRK.threads} thread, ${WRK.seconds} s each, load average ${loadavg()[0]!.toFixed(1)}:`);
        log(`    bare node:http (the generator's ceiling here) ${fmtWrk(bareWrk)}`);
        log(`    POST /webhook    ${fmtWrk(oursWrk)}`);
        log(`    ratio ${(100 * oursWrk.requestsPerSecond / bareWrk.requestsPerSecond).toFixed(0)}% of bare node:http (target >= 50%)`);
        await drained(ours.url);
      } else {
        log(WRK_MISSING);
      }
      const bareSat = await saturate({ baseUrl: bare.url, make: webhookRequest, ...SATURATE, maxMs: 30_000 });
      const before = await ours.ask<{ fsyncs: number }>('stats');
      const oursSat = await saturate({ baseUrl: ours.url, make: webhookRequest, ...SATURATE, maxMs: 30_000, onResponse: collect });
      const after = await ours.ask<{ fsyncs: number }>('stats');
      log(`(a) saturation by the Node generator (saturates first: the ratio understates the gap), ${SATURATE.total} requests at concurrency ${SATURATE.concurrency}:`);
      log(`    bare node:http   ${fmt(bareSat)}`);
      log(`    POST /webhook    ${fmt(oursSat)}`);
      log(`    ratio ${(100 * oursSat.requestsPerSecond / bareSat.requestsPerSecond).toFixed(0)}% (target >= 50%); `
        + `${after.fsyncs - before.fsyncs} fsyncs for ${oursSat.statuses[200] ?? 0} acceptances (queue + status + processing journals)`);

      await drained(ours.url); // (b) measures the steady state, not the backlog (a) left behind
      const bareRate = await fixedRate({ baseUrl: bare.url, make: webhookRequest, ...RATE, maxMs: 20_000 });
      const oursRate = await fixedRate({ baseUrl: ours.url, make: webhookRequest, ...RATE, maxMs: 20_000, onResponse: collect });
      log(`(b) fixed ${RATE.ratePerSecond} req/s, ${RATE.total} requests (latency from scheduled send time):`);
      log(`    bare node:http   ${fmt(bareRate)}`);
      log(`    POST /webhook    ${fmt(oursRate)} (target p99 < 50 ms)`);

      const started = performance.now();
      const pending = new Set(accepted);
      while (pending.size > 0 && performance.now() - started < 120_000) {
        const round = [...pending];
        await saturate({
          baseUrl: ours.url, total: round.length, concurrency: 16,
          make: (i) => ({ method: 'GET', path: `/webhook/${round[i]}`, headers: { authorization: `Bearer ${BENCH_KEY}` } }),
          onResponse: (_i, status, body) => {
            const record = status === 200 ? JSON.parse(body) as { tracking_id: string; status: string } : undefined;
            if (record?.status === 'done') pending.delete(record.tracking_id);
          },
        });
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      log(`(c) answered ${accepted.length - pending.size} of ${accepted.length} accepted requests (status done; trivial engine), `
        + `${pending.size} missing, all done ${((performance.now() - started) / 1000).toFixed(1)} s after the last request`);
    } finally {
      await Promise.all([bare.stop(), ours.stop()]);
    }
  },
};

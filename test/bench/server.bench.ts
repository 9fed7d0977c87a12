/**
 * The ingress paths on loopback (issues 5 and 16), each next to its bare baseline in the same run, all servers in
 * child processes:
 * (a) saturation by `wrk` (wrk.ts), in alternating rounds judged by their medians (the machine is shared and its load
 *     drifts): `POST /webhook` on the real runtime — every acceptance fsynced before its 200 (group commit) — against
 *     a bare `node:http` server answering 200, target >= 50%; and the Slack ack path (signed `app_mention` events,
 *     the embedded durable queue) against a bare Bolt `HTTPReceiver` app. Each line gives the server's CPU time per
 *     request, which depends far less on the machine's load than requests/s, and the load average; the bare
 *     `node:http` figure, with wrk's CPU share, is the generator's ceiling here. The webhook server's consumers wait
 *     until the rounds are over, so the figure is the accept path's and not the processing's.
 * (b) p50/p99 latency at a fixed 500 requests/s (Node generator, loadGenerator.ts, which keeps every tracking id),
 *     target p99 under 50 ms, consumers running;
 * (c) every accepted request answered: the engine (trivial, answers at once, so the figures are the server's and
 *     not the agents') must have answered exactly as many requests as were accepted, and each tracked request must
 *     read `done` via `GET /webhook/:id`.
 * Saturation is measured at two concurrencies, 32 and 256 connections, and judged at each server's best: a durable
 * server answers a request only after the fsync of its batch, so at 32 connections its batches are a tenth of what
 * they are at 256 and its throughput there says as much about the batch size as about the server; the bare servers
 * do the same at both. The servers run as the bundled JavaScript `npm start` runs (builtFixtures.ts), not under tsx.
 * Without wrk, (a) is driven by the Node generator, which saturates before bare `node:http` does and so understates
 * the gap.
 */
import { createHmac } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import type { BenchPart } from './run.ts';
import { fixedRate, saturate, type LoadRequest, type LoadResult } from './loadGenerator.ts';
import { BENCH_KEY } from './fixtures/webhookServer.ts';
import { SLACK_BENCH_SECRET, startSlackStandIn } from './fixtures/slackServers.ts';
import { buildFixtures, type Fixture } from './builtFixtures.ts';
import { runWrk, WRK_MISSING, type WrkRequest, type WrkRequestPool, type WrkResult, wrkPresent } from './wrk.ts';

const SATURATE = { total: 2000, concurrency: 32 };
const RATE = { ratePerSecond: 500, total: 2500 };
const WRK = { seconds: 5, threads: 1 };
const CONCURRENCIES = [32, 256] as const;
const ROUNDS = 3;
/** Distinct signed Slack events per wrk round: more than the Slack path answers in a round, so none repeats. */
const SLACK_POOL = 60_000;

interface Child {
  url: string;
  pid: number;
  ask<T>(message: string): Promise<T>;
  tell(message: string): void;
  stop(): Promise<void>;
}

async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = fork(script, [], { execArgv: [], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    tell: (message) => proc.send(message),
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

const webhookWrk: WrkRequest = {
  path: '/webhook', headers: webhookRequest(0).headers!,
  bodyTemplate: JSON.stringify({ query: 'What deals are closing this quarter? (##N)', source_system: 'bench' }),
};

/** Signed `app_mention` events, each with its own event id and thread, as Slack sends them. */
function slackPool(round: number): WrkRequestPool {
  const stamp = String(Math.floor(Date.now() / 1000));
  return {
    path: '/slack/events', headers: { 'content-type': 'application/json' },
    requests: Array.from({ length: SLACK_POOL }, (_, i) => {
      const ts = `${1_700_000_000 + round}.${String(i).padStart(6, '0')}`;
      const body = JSON.stringify({
        token: 't', team_id: 'T0001', api_app_id: 'A0001', type: 'event_callback', event_id: `EvW${round}x${i}`, event_time: 1_700_000_000,
        event: { type: 'app_mention', user: 'U0USER01', text: '<@UBOT0001> what is the status of the IXIS deal?', ts, channel: 'C0BENCH1', event_ts: ts },
      });
      const signature = `v0=${createHmac('sha256', SLACK_BENCH_SECRET).update(`v0:${stamp}:${body}`).digest('hex')}`;
      return { headers: { 'x-slack-request-timestamp': stamp, 'x-slack-signature': signature }, body };
    }),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const cpuMicros = (r: WrkResult): number => (1e6 * r.serverCpu) / r.requestsPerSecond;
const load = (): string => loadavg()[0]!.toFixed(1);

function summary(name: string, rounds: WrkResult[]): string {
  const m = (f: (r: WrkResult) => number) => median(rounds.map(f));
  return `${name.padEnd(16)} ${m((r) => r.requestsPerSecond).toFixed(0).padStart(6)} req/s (rounds ${rounds.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')}), ` +
    `CPU ${m(cpuMicros).toFixed(1)} µs/request, p99 ${m((r) => r.p99Ms).toFixed(1)} ms, ${rounds.reduce((n, r) => n + r.failed, 0)} failed; ` +
    `CPU share: wrk ${(100 * m((r) => r.generatorCpu)).toFixed(0)}%, server ${(100 * m((r) => r.serverCpu)).toFixed(0)}% of a core`;
}

const ratio = (ours: WrkResult[], bare: WrkResult[]): string =>
  `${(100 * median(ours.map((r) => r.requestsPerSecond)) / median(bare.map((r) => r.requestsPerSecond))).toFixed(0)}%`;

const fmt = (r: LoadResult): string =>
  `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, statuses ${JSON.stringify(r.statuses)}`;

/** Waits until the server's queues are empty (healthz reports them); false when they were not within `ms`. */
async function drained(url: string, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { queues: Record<string, { visible: number; inFlight: number }> };
    if (Object.values(health.queues).every((q) => q.visible + q.inFlight === 0)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** What the server counted as accepted (its `/metrics`): wrk stops with requests in flight that were still accepted. */
async function serverAccepted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('revops_webhook_requests_accepted_total')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

type Side = 'bare' | 'webhook' | 'bareBolt' | 'slack';

/**
 * (a) with wrk: at each concurrency, alternating rounds of each pair, the webhook side on a server of its own that
 * starts empty (its consumers wait, so its backlog grows by every round: a backlog already hundreds of thousands deep
 * from the rounds before would weigh on one level and not the other). Returns those servers, and how many webhook
 * requests wrk saw accepted.
 */
async function saturateWithWrk(
  log: (line: string) => void, built: Record<Fixture, string>, bare: Child, webhookServer: () => Promise<Child>,
): Promise<{ accepted: number; servers: Child[] }> {
  const standIn = await startSlackStandIn();
  const slackServers: Child[] = [];
  const levels = new Map<number, Record<Side, WrkResult[]>>(CONCURRENCIES.map((c) => [c, { bare: [], webhook: [], bareBolt: [], slack: [] }]));
  let pools = 0;
  const servers: Child[] = [];
  try {
    const loadBefore = load();
    for (const [connections, runs] of levels) {
      const ours = await webhookServer();
      servers.push(ours);
      // The Slack pair starts afresh too: ours keeps a queue whose backlog would grow across the levels.
      const [bareBolt, ourSlack] = await Promise.all([
        startChild(built.slackServers, { SLACK_SIDE: 'bare', SLACK_API_URL: standIn.url }),
        startChild(built.slackServers, { SLACK_SIDE: 'ours', SLACK_API_URL: standIn.url }),
      ]);
      slackServers.push(bareBolt, ourSlack);
      for (let round = 0; round < ROUNDS; round += 1) {
        const pool = slackPool((pools += 1));
        // Alternate who goes first, so a drift in the machine's load does not always favour the same side.
        const pairs: Array<[Side, Child, WrkRequest | WrkRequestPool]> = [
          ['bare', bare, webhookWrk], ['webhook', ours, webhookWrk], ['bareBolt', bareBolt, pool], ['slack', ourSlack, pool],
        ];
        for (const [name, child, request] of round % 2 === 0 ? pairs : [...pairs].reverse()) {
          runs[name].push(await runWrk(child.url, request, child.pid, { ...WRK, connections }));
        }
      }
      await Promise.all(slackServers.splice(0).map((server) => server.stop()));
    }
    log(`(a) saturation by wrk, ${WRK.threads} thread, ${ROUNDS} alternating rounds of ${WRK.seconds} s at each of ${CONCURRENCIES.join(' and ')} connections, ` +
      `medians; load average ${loadBefore} before, ${load()} after (2 cores):`);
    for (const [connections, runs] of levels) {
      log(`    ${connections} connections:`);
      log(`      ${summary('bare node:http', runs.bare)}   <- the generator's ceiling here`);
      log(`      ${summary('POST /webhook', runs.webhook)}`);
      log(`      webhook accept = ${ratio(runs.webhook, runs.bare)} of bare node:http`);
      log(`      ${summary('bare Bolt', runs.bareBolt)}`);
      log(`      ${summary('Slack ack path', runs.slack)}`);
      const repeated = runs.slack.some((r) => r.requests > SLACK_POOL) ? ` (a round sent more than its ${SLACK_POOL} distinct events: repeats were deduplicated)` : '';
      log(`      Slack ack path = ${ratio(runs.slack, runs.bareBolt)} of bare Bolt${repeated}`);
    }
    const best = (side: Side): WrkResult[] => [...levels.values()].map((runs) => runs[side])
      .reduce((a, b) => (median(b.map((r) => r.requestsPerSecond)) > median(a.map((r) => r.requestsPerSecond)) ? b : a));
    const at = (side: Side): number => [...levels].find(([, runs]) => runs[side] === best(side))![0];
    log(`    each at its best concurrency: webhook accept (${at('webhook')}) = ${ratio(best('webhook'), best('bare'))} of bare node:http (${at('bare')}) (target >= 50%); ` +
      `Slack ack path (${at('slack')}) = ${ratio(best('slack'), best('bareBolt'))} of bare Bolt (${at('bareBolt')})`);
  } finally {
    await Promise.all(slackServers.map((server) => server.stop()));
    await standIn.worker.terminate();
  }
  return { accepted: [...levels.values()].reduce((n, runs) => n + runs.webhook.reduce((m, r) => m + r.requests - r.failed, 0), 0), servers };
}

export const part: BenchPart = {
  order: 4,
  title: 'server: webhook accept path (durable, group commit) vs bare node:http; Slack ack path vs bare Bolt',
  async run(log) {
    const built = await buildFixtures();
    const bare = await startChild(built.bareServer);
    const webhookServer = () => startChild(built.webhookServer, { BENCH_CONSUME: '0' });
    const ours = await webhookServer();
    /** Every webhook server of the run: `ours` for (b) and (c), and one per wrk concurrency level. */
    const servers: Child[] = [ours];
    const tracked: string[] = [];
    let accepted = 0;
    const collect = (_i: number, status: number, body: string): void => {
      if (status !== 200) return;
      accepted += 1;
      tracked.push((JSON.parse(body) as { tracking_id: string }).tracking_id);
    };
    try {
      await saturate({ baseUrl: bare.url, make: webhookRequest, total: 300, concurrency: 8 });
      await saturate({ baseUrl: ours.url, make: webhookRequest, total: 300, concurrency: 8, onResponse: collect });

      if (wrkPresent()) {
        const saturation = await saturateWithWrk(log, built, bare, async () => {
          const server = await webhookServer();
          servers.push(server);
          return server;
        });
        accepted += saturation.accepted;
      } else {
        log(WRK_MISSING);
        const bareSat = await saturate({ baseUrl: bare.url, make: webhookRequest, ...SATURATE, maxMs: 30_000 });
        const oursSat = await saturate({ baseUrl: ours.url, make: webhookRequest, ...SATURATE, maxMs: 30_000, onResponse: collect });
        log(`(a) saturation by the Node generator (saturates first: the ratio understates the gap), ${SATURATE.total} requests at concurrency ${SATURATE.concurrency}:`);
        log(`    bare node:http   ${fmt(bareSat)}`);
        log(`    POST /webhook    ${fmt(oursSat)}`);
        log(`    ratio ${(100 * oursSat.requestsPerSecond / bareSat.requestsPerSecond).toFixed(0)}% (target >= 50%)`);
      }

      const backlog = performance.now();
      for (const server of servers) server.tell('consume');
      const caughtUp = (await Promise.all(servers.map((server) => drained(server.url, 600_000)))).every(Boolean);
      const backlogSeconds = (performance.now() - backlog) / 1000;
      const acceptedSoFar = (await Promise.all(servers.map((server) => serverAccepted(server.url)))).reduce((a, b) => a + b, 0);
      log(`    the ${acceptedSoFar} requests accepted so far (${servers.length} servers) were processed ${caughtUp ? 'in' : 'NOT within'} ${backlogSeconds.toFixed(1)} s once the consumers started ` +
        `(${(acceptedSoFar / backlogSeconds).toFixed(0)} per second, trivial engine)`);

      const before = await ours.ask<{ fsyncs: number }>('stats');
      const bareRate = await fixedRate({ baseUrl: bare.url, make: webhookRequest, ...RATE, maxMs: 20_000 });
      const oursRate = await fixedRate({ baseUrl: ours.url, make: webhookRequest, ...RATE, maxMs: 20_000, onResponse: collect });
      const after = await ours.ask<{ fsyncs: number }>('stats');
      log(`(b) fixed ${RATE.ratePerSecond} req/s, ${RATE.total} requests (latency from scheduled send time), consumers running:`);
      log(`    bare node:http   ${fmt(bareRate)}`);
      log(`    POST /webhook    ${fmt(oursRate)} (target p99 < 50 ms); ${after.fsyncs - before.fsyncs} queue fsyncs (accepting and processing) for ${oursRate.statuses[200] ?? 0} acceptances`);

      const started = performance.now();
      const pending = new Set(tracked);
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
      await drained(ours.url, 60_000);
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      const answered = sum(await Promise.all(servers.map(async (server) => (await server.ask<{ answered: number }>('stats')).answered)));
      const counted = sum(await Promise.all(servers.map((server) => serverAccepted(server.url))));
      log(`(c) the ${servers.length} servers accepted ${counted} requests in all (the generators saw ${accepted} 200s; the rest were in flight when wrk stopped), ` +
        `the engine answered ${answered} (${answered === counted && counted >= accepted ? 'every one, none twice' : 'MISMATCH'}); ` +
        `of the ${tracked.length} tracked by id, ${tracked.length - pending.size} read done, ${pending.size} missing, ` +
        `all done ${((performance.now() - started) / 1000).toFixed(1)} s after the last request`);
    } finally {
      await Promise.all([bare.stop(), ...servers.map((server) => server.stop())]);
    }
  },
};

/**
 * `wrk` (a C load generator, Debian package `wrk`) as the saturating generator of the ingress benches: the Node one
 * (loadGenerator.ts) saturates before bare `node:http` does, so its ratios measured the generator. Each request
 * gets a body of its own (a counter in the Lua script), so no dedupe short-circuits it. The CPU both sides used
 * during the run is read from /proc, so a report can show the generator was not the bottleneck.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WRK_MISSING = 'wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`; the Node generator figures follow instead';

export const wrkPresent = (): boolean => spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;

export interface WrkRequest {
  path: string;
  headers: Record<string, string>;
  /** The body with `#N` replaced by the request's number. */
  bodyTemplate: string;
}

/**
 * Requests made in advance, for what a Lua script cannot compute per request (a Slack signature is an HMAC): sent
 * in order, from the first again once all were sent (`WrkResult.requests` tells whether that happened).
 */
export interface WrkRequestPool {
  path: string;
  headers: Record<string, string>;
  requests: Array<{ headers: Record<string, string>; body: string }>;
}

export interface WrkResult {
  requestsPerSecond: number;
  /** Requests completed. */
  requests: number;
  /** Non-2xx/3xx responses and socket errors. */
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds the generator and the server used during the run, over its wall seconds. */
  generatorCpu: number;
  serverCpu: number;
}

/** utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const luaString = (s: string): string => JSON.stringify(s);

/** The pool as lines of tab-separated per-request header values, then the body (none of them holds a tab). */
function poolScript(pool: WrkRequestPool, dataFile: string): string {
  const names = Object.keys(pool.requests[0]?.headers ?? {});
  const fixed = Object.entries(pool.headers).map(([k, v]) => `h[${luaString(k)}] = ${luaString(v)}`).join('; ');
  // Built in init: wrk sets the Host header's value only after the script has loaded.
  return `local names = {${names.map(luaString).join(', ')}}\nlocal pool = {}\ninit = function()\n` +
    `  for line in io.lines(${luaString(dataFile)}) do\n    local fields = {}\n    for f in string.gmatch(line, "[^\\t]+") do fields[#fields + 1] = f end\n` +
    `    local h = {}; ${fixed}\n    for i, name in ipairs(names) do h[name] = fields[i] end\n` +
    `    pool[#pool + 1] = wrk.format("POST", ${luaString(pool.path)}, h, fields[#fields])\n  end\nend\n` +
    `local n = 0\nrequest = function()\n  n = n + 1\n  return pool[(n - 1) % #pool + 1]\nend\n`;
}

const poolData = (pool: WrkRequestPool): string =>
  pool.requests.map((r) => [...Object.values(r.headers), r.body].join('\t')).join('\n') + '\n';

function script(request: WrkRequest): string {
  const [before, after] = request.bodyTemplate.split('#N') as [string, string?];
  const headers = Object.entries(request.headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`).join('\n');
  return `wrk.method = "POST"\n${headers}\nlocal n = 0\n` +
    `request = function()\n  n = n + 1\n  return wrk.format(nil, ${luaString(request.path)}, nil, ${luaString(before)} .. n .. ${luaString(after ?? '')})\nend\n`;
}

const ms = (value: string, unit: string): number => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);

export async function runWrk(
  baseUrl: string, request: WrkRequest | WrkRequestPool, serverPid: number, options: { seconds: number; connections: number; threads: number },
): Promise<WrkResult> {
  const dir = await mkdtemp(join(tmpdir(), 'revops-wrk-'));
  try {
    const file = join(dir, 'post.lua');
    if ('requests' in request) {
      await writeFile(join(dir, 'pool.tsv'), poolData(request));
      await writeFile(file, poolScript(request, join(dir, 'pool.tsv')));
    } else {
      await writeFile(file, script(request));
    }
    const serverBefore = cpuSeconds(serverPid);
    const started = performance.now();
    const child = spawn('wrk', ['-t', String(options.threads), '-c', String(options.connections), '-d', `${options.seconds}s`, '--latency', '-s', file, `${baseUrl}${request.path}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let generatorCpu = 0;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // The generator's CPU is read just before it exits (its /proc entry goes with it).
    const sampler = setInterval(() => {
      try {
        generatorCpu = cpuSeconds(child.pid!);
      } catch { /* exited */ }
    }, 200);
    await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wrk exited ${code}: ${out}`)))));
    clearInterval(sampler);
    const wall = (performance.now() - started) / 1000;
    const serverCpu = (cpuSeconds(serverPid) - serverBefore) / wall;
    const rps = /Requests\/sec:\s+([\d.]+)/u.exec(out);
    const latency = (q: string): number => {
      const m = new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`, 'u').exec(out);
      return m ? ms(m[1]!, m[2]!) : Number.NaN;
    };
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/u.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/u.exec(out);
    const socketErrors = socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
    if (!rps) throw new Error(`wrk printed no Requests/sec: ${out}`);
    const requests = Number(/(\d+) requests in/u.exec(out)?.[1] ?? Number.NaN);
    return { requestsPerSecond: Number(rps[1]), requests, failed: non2xx + socketErrors, p50Ms: latency('50'), p99Ms: latency('99'), generatorCpu: generatorCpu / wall, serverCpu };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The integration lane's global setup: starts moto_server (a Python AWS emulator) on a free loopback port for the
 * whole run and stops it after. Test files read its endpoint with `inject('motoEndpoint')` (motoClients.ts). When
 * moto_server is not installed the endpoint is empty and every suite of the lane is skipped with that reason —
 * unless REVOPS_REQUIRE_MOTO=1 (.ci/run), which fails the lane instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>`, or '' when moto_server is absent. */
    motoEndpoint: string;
  }
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

/** Polls until moto answers; bounded (it starts in about a second). */
async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 15 s`);
}

let child: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).error) {
    // CI sets this: there the lane must run, and a missing emulator is a broken machine, not a reason to skip.
    if (process.env.REVOPS_REQUIRE_MOTO === '1') throw new Error('moto_server is not installed, and REVOPS_REQUIRE_MOTO=1 requires the AWS lane to run');
    console.warn('moto_server is not installed (pip install "moto[server]"): the AWS integration lane is skipped');
    project.provide('motoEndpoint', '');
    return;
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  await waitUntilUp(endpoint, child).catch((error: unknown) => {
    child?.kill();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  });
  project.provide('motoEndpoint', endpoint);
}

export async function teardown(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

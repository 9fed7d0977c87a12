/**
 * `revops serve [--port 3000]`: the local server for Slack and webhook traffic, reading the compiled manifest
 * (compiling the specs when stale) and the configuration from the environment (runtime/config.ts). Runs until
 * SIGINT/SIGTERM, then stops taking requests, finishes the messages in hand and closes the queues.
 */
import { parseArgs } from 'node:util';
import { type Command, type CommandIO, UsageError } from '../../compiler/cli/command.ts';
import { ConfigError, loadConfig, type RuntimeConfig } from '../config.ts';
import { createRuntime } from '../wiring.ts';
import { listen, type Listening } from '../server/listen.ts';
import { nodeCallerAddress } from '../server/callerInfo.ts';
import { loadProject } from './loadProject.ts';

/** Loads everything and starts listening; shared with `revops start`. */
export async function startServer(io: CommandIO, port?: number): Promise<{ config: RuntimeConfig; listening: Listening }> {
  let config: RuntimeConfig;
  try {
    config = loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`configuration: ${error.message}`);
    throw error;
  }
  // The server is the one process that writes the embedded warehouse (CRM updates through firebolt_writer).
  const project = await loadProject(io.cwd, io.env, io, { writable: true });
  const runtime = await createRuntime(config, { project, callerAddress: nodeCallerAddress });
  const listening = await listen(runtime, { port: port ?? config.port, hostname: config.host });
  return { config, listening };
}

/** Resolves on SIGINT/SIGTERM after a graceful close. */
export function untilSignal(listening: Listening, io: CommandIO): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      io.stderr(`revops: ${signal}: finishing messages in hand and closing`);
      listening.close().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0..65535, got '${value}'`);
  return port;
}

export const command: Command = {
  summary: 'Serve Slack events and webhook requests (POST /slack/events, POST /webhook, GET /webhook/:id, /healthz, /metrics).',
  usage: 'revops serve [--port 3000]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' } } });
    const { config, listening } = await startServer(io, parsePort(values.port));
    io.stdout(`revops: serving on ${listening.url} (engine ${config.engine}, data in ${config.dataDir})`);
    return untilSignal(listening, io);
  },
};

/**
 * Parts of the runtime that are built on first use instead of at creation (runtime/wiring.ts, RuntimeParts.serves):
 * a Lambda function loads and constructs at cold start only what the side it serves needs (issue 6), and the other
 * side still works if it is ever used. Each wrapper takes a `once` loader (runtime/once.ts), so the part is built a
 * single time and a failed build is tried again on the next call.
 */
import type { Engine, EngineName } from './engines/engine.ts';
import type { ExportSink } from './exports/layout.ts';
import type { Delivery } from './processing/inbound.ts';
import type { MessageQueue } from './queue/queue.ts';
import type { SlackRoute } from './server/createApp.ts';
import type { ManifestTool } from '../compiler/manifest.ts';
import type { Toolbox } from './tools/toolbox.ts';

export function engineOnFirstUse(name: EngineName, engine: () => Promise<Engine>): Engine {
  return {
    name,
    async *invoke(request) {
      yield* (await engine()).invoke(request);
    },
  };
}

/** `close` does not build a queue that was never used. */
export function queueOnFirstUse(queue: () => Promise<MessageQueue>): MessageQueue {
  let used = false;
  const get = () => {
    used = true;
    return queue();
  };
  return {
    send: async (message) => (await get()).send(message),
    receive: async (options) => (await get()).receive(options),
    ack: async (receiptHandle) => (await get()).ack(receiptHandle),
    release: async (receiptHandle, failure) => (await get()).release(receiptHandle, failure),
    deadLetters: async () => (await get()).deadLetters(),
    stats: async () => (await get()).stats(),
    close: async () => (used ? (await queue()).close() : undefined),
  };
}

export function deliveryOnFirstUse(delivery: () => Promise<Delivery>): Delivery {
  return {
    prepare: async () => {
      await delivery();
    },
    progress: async (message, event) => (await delivery()).progress(message, event),
    deliver: async (message, outcome) => (await delivery()).deliver(message, outcome),
  };
}

export function routeOnFirstUse(route: () => Promise<SlackRoute>): SlackRoute {
  return { handle: async (request) => (await route()).handle(request) };
}

export function exportSinkOnFirstUse(sink: () => Promise<ExportSink>): ExportSink {
  return { write: async (folder, files) => (await sink()).write(folder, files) };
}

export function toolboxOnFirstUse(tools: readonly ManifestTool[], toolbox: () => Promise<Toolbox>): Toolbox {
  return {
    tools,
    run: async (tool, params, signal) => (await toolbox()).run(tool, params, signal),
    perform: async (tool, params, approved, signal) => (await toolbox()).perform(tool, params, approved, signal),
  };
}

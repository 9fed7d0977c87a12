/**
 * `revops ask "question"`: one question through an engine (offline by default), printing the answer and then the
 * trace as a tree (agents, tools, rows, time), or with `--json` `{answer, agent, skill, not_done, trace, conversation}`
 * (`not_done`: the parts of the question the answer did not apply or do, `[{part, reason}]`).
 * Sessions live in the engine's memory, so `--session` joins follow-ups only within one process (tests, serve).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Manifest } from '../../compiler/manifest.ts';
import { buildConversationRecord, collect, createEngine, ENGINE_NAMES, isEngineName, type EngineName } from '../engines/index.ts';
import { type Command, UsageError } from './command.ts';
import { loadProject } from './loadProject.ts';
import { renderTraceTree } from './traceTree.ts';

/** The entry agent: the one named, else the first channel's entry, else the only supervisor. */
export function entryAgent(manifest: Manifest, named?: string): string {
  if (named) {
    if (!manifest.agents.some((a) => a.name === named)) throw new UsageError(`--agent: no agent named '${named}'`);
    return named;
  }
  const entry = manifest.channels[0]?.entry ?? manifest.agents.find((a) => a.role === 'supervisor')?.name;
  if (!entry) throw new UsageError('the manifest has no supervisor agent to ask; add one under specs/agents/');
  return entry;
}

export function parseEngine(value: string | undefined): EngineName {
  const name = value ?? 'offline';
  if (!isEngineName(name)) throw new UsageError(`--engine: expected one of ${ENGINE_NAMES.join(', ')}, got '${value}'`);
  return name;
}

export const command: Command = {
  summary: 'Ask the agents a question and print the answer and the trace (agents, tools, rows, time).',
  usage: 'revops ask "question" [--engine offline|bedrock-agents|converse] [--session ID] [--agent NAME] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { engine: { type: 'string' }, session: { type: 'string' }, agent: { type: 'string' }, json: { type: 'boolean' } },
    });
    const text = positionals.join(' ').trim();
    if (!text) throw new UsageError('a question is required');
    const engineName = parseEngine(values.engine);
    const project = await loadProject(io.cwd, io.env, io);
    try {
      const agent = entryAgent(project.manifest, values.agent);
      const engine = await createEngine(engineName, { ...project, env: io.env });
      const sessionId = values.session ?? `cli-${randomUUID()}`;
      const startedAt = project.now().toISOString();
      const result = await collect(engine.invoke({ agent, text, sessionId }));
      const conversation = buildConversationRecord({
        text, sessionId, correlationId: randomUUID(), channel: 'cli', startedAt,
        toolKinds: Object.fromEntries(project.manifest.tools.map((t) => [t.name, t.kind])),
      }, result.events);
      if (values.json) {
        io.stdout(JSON.stringify({ answer: result.answer, agent: result.agent, skill: result.skill, status: result.status,
          error: result.error, not_done: result.notDone, trace: result.events, conversation }, null, 2));
      } else {
        io.stdout(result.status === 'done' ? result.answer : `error ${result.error?.code}: ${result.error?.message}`);
        io.stdout(`\n--- trace (${engineName}, ${conversation.timing_data.total_ms} ms)\n${renderTraceTree(result.events)}`);
      }
      return result.status === 'done' ? 0 : 1;
    } finally {
      await project.close();
    }
  },
};

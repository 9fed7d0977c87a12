/**
 * `revops ask "question"`: one question through an engine (offline by default), printing the answer and then the
 * trace as a tree (agents, tools, rows, time), or with `--json` `{answer, agent, skill, not_done, trace, conversation}`
 * (`not_done`: the parts of the question the answer did not apply or do, `[{part, reason}]`).
 * `--session ID` continues a conversation across runs: the turns are kept in the conversation store (the data
 * directory, or DynamoDB when REVOPS_SESSION_TABLE is set) under `cli:<ID>`, apart from every channel's sessions.
 * An action the agents want (a CRM write, a notification) is previewed and performed only once approved
 * (approveInCli.ts: a terminal prompt, or --yes).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Manifest } from '../../compiler/manifest.ts';
import { buildConversationRecord, collect, createEngine, ENGINE_NAMES, isEngineName, type EngineName } from '../engines/index.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { loadProject } from './loadProject.ts';
import { renderTraceTree } from './traceTree.ts';
import { openSessionStore } from '../sessions/openSessionStore.ts';
import { approveInCli } from './approveInCli.ts';
import { dataDirOf } from '../config.ts';

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

/** The CLI's own session namespace: a `--session` id never continues a Slack thread's or a webhook caller's. */
export const cliSessionKey = (id: string): string => `cli:${id}`;

export function parseEngine(value: string | undefined): EngineName {
  const name = value ?? 'offline';
  if (!isEngineName(name)) throw new UsageError(`--engine: expected one of ${ENGINE_NAMES.join(', ')}, got '${value}'`);
  return name;
}

/** The `--engine` option as usage text shows it, for `ask` and `eval`. */
export const ENGINE_OPTION = `[--engine ${ENGINE_NAMES.join('|')}]`;

export const command: Command = {
  summary: 'Ask the agents a question and print the answer and the trace (agents, tools, rows, time).',
  usage: `revops ask "question" ${ENGINE_OPTION} [--session ID] [--agent NAME] [--yes] [--json]`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { engine: { type: 'string' }, session: { type: 'string' }, agent: { type: 'string' }, json: { type: 'boolean' }, yes: { type: 'boolean' } },
    });
    const text = positionals.join(' ').trim();
    if (!text) throw new UsageError('a question is required');
    const engineName = parseEngine(values.engine);
    const project = await loadProject(io.cwd, io.env, io);
    try {
      const agent = entryAgent(project.manifest, values.agent);
      // Only a named session can be continued, so only a named session is stored.
      const sessions = values.session ? await openSessionStore(project.manifest, io.env, dataDirOf(io.env, io.cwd)) : undefined;
      const engine = await createEngine(engineName, { ...project, env: io.env, ...(sessions ? { sessions } : {}) });
      const sessionId = cliSessionKey(values.session ?? randomUUID());
      const startedAt = project.now().toISOString();
      const result = await collect(engine.invoke({ agent, text, sessionId }));
      const correlationId = randomUUID();
      const wanted = result.events.find((e) => e.type === 'approval_needed');
      // A write or notification the agents want waits for a person: JSON callers get the preview and nothing done.
      const approval = wanted?.type === 'approval_needed' && result.status === 'done'
        ? await approveInCli(project, values.json ? { ...io, prompt: undefined } : io, wanted, { text, sessionId, correlationId }, values.yes ?? false)
        : undefined;
      if (approval) result.answer = approval.text;
      const conversation = buildConversationRecord({
        text, sessionId, correlationId, channel: 'cli', startedAt,
        toolKinds: Object.fromEntries(project.manifest.tools.map((t) => [t.name, t.kind])),
      }, result.events);
      if (values.json) {
        io.stdout(JSON.stringify({ answer: result.answer, agent: result.agent, skill: result.skill, status: result.status,
          error: result.error, not_done: result.notDone, trace: result.events, conversation,
          ...(approval ? { action: { id: approval.actionId ?? null, status: approval.status } } : {}) }, null, 2));
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

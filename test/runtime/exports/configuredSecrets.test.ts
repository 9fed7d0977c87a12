/**
 * The process's own secrets (a WEBHOOK_API_KEYS value, the signing secret) pasted into a question have no token
 * shape: they are redacted as exact values in the conversation store, the export and the log, through the real
 * server. The queue and the status keep the caller's question and answer as they are: processing reads the one and
 * the caller, alone, the other.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../runtime/logging/logger.ts';
import { configuredSecrets, redaction, REDACTED } from '../../../runtime/redact.ts';
import { approvalWorld, eventually, KEYS, type World } from '../approvals/approvalWorld.ts';

const SECRET = 'pasted-signing-secret-0004';
let world: World | undefined;
afterEach(async () => world?.close());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('configured secrets', () => {
  it('pasted into a question, are in no session or export, and the question is still answered', async () => {
    world = await approvalWorld();
    const { server } = await world.start({ WEBHOOK_SIGNING_SECRET: SECRET });
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${KEYS[0]}` };
    const query = `my keys are ${KEYS[1]} and ${SECRET}; what deals close this quarter?`;
    const asked = await fetch(`${server.url}/webhook`, { method: 'POST', headers: auth, body: JSON.stringify({ query, source_system: 'crm' }) });
    const { tracking_id: id } = (await asked.json()) as { tracking_id: string };
    const done = await eventually(async () => (await fetch(`${server.url}/webhook/${id}`, { headers: auth })).json() as Promise<{ status: string }>,
      (s) => s.status === 'done');
    expect(done.status).toBe('done');
    // The export is written after the status says done.
    const files = await eventually(async () => (await filesUnder(join(world!.dataDir, 'data'))).filter((f) => /[/\\](sessions|conversations)[/\\]/u.test(f)),
      (found) => found.some((f) => f.endsWith('metadata.json')));
    const written = await Promise.all(files.map(async (f) => ({ f, text: await readFile(f, 'utf8') })));
    expect(written.some(({ f }) => f.includes('sessions'))).toBe(true);
    expect(written.some(({ f }) => f.endsWith('conversation.json'))).toBe(true);
    for (const { f, text } of written) {
      expect({ f, key: text.includes(KEYS[1]!), secret: text.includes(SECRET) }).toEqual({ f, key: false, secret: false });
    }
    expect(written.some(({ text }) => text.includes(`my keys are ${REDACTED} and ${REDACTED}`))).toBe(true);
  });

  it('are taken from every secret-named setting, each key of a list on its own, longest first; short flags are not secrets', () => {
    const secrets = configuredSecrets({
      WEBHOOK_API_KEYS: ` key-one-0123456789,key-one-0123456789-longer `, WEBHOOK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'short',
      REVOPS_DATA_DIR: '/var/lib/revops-data',
    });
    expect(secrets).toContain('key-one-0123456789');
    expect(secrets).toContain(SECRET);
    expect(secrets).not.toContain('short');
    expect(secrets).not.toContain('/var/lib/revops-data');
    expect(redaction(secrets).redactText('a key-one-0123456789-longer b key-one-0123456789')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('are never written to the log, not even quoted inside a JSON line', () => {
    const lines: string[] = [];
    const quoted = 'se"cret\\value-0123';
    const logger = createLogger({ sink: (line) => lines.push(line), secrets: [SECRET, quoted] }).child({ correlation_id: 'c1' });
    logger.error('tool failed', { error: new Error(`no deal named '${SECRET}'`), detail: `x${quoted}y` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!)).toMatchObject({ correlation_id: 'c1', error: { message: `no deal named '${REDACTED}'` }, detail: `x${REDACTED}y` });
  });
});

import { queueUrlVariable } from '../../../compiler/manifest.ts';
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, dataDirOf, loadConfig } from '../../../runtime/config.ts';

describe('runtime configuration', () => {
  it('has defaults for a local start', () => {
    const config = loadConfig({}, '/project');
    expect(config).toMatchObject({ port: 3000, engine: 'offline', dataDir: '.revops', concurrency: 4, queue: { backend: 'local' },
      webhook: { apiKeys: [] }, exports: { prefix: 'conversation-history' }, logLevel: 'info' });
  });

  it('refuses a data dir that exists as a file, naming the variable, and takes one that does not exist yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revops-config-'));
    await writeFile(join(dir, 'afile'), '');
    try {
      expect(() => loadConfig({ REVOPS_DATA_DIR: 'afile' }, dir)).toThrow(ConfigError);
      expect(() => loadConfig({ REVOPS_DATA_DIR: 'afile' }, dir)).toThrow(/^REVOPS_DATA_DIR: '.*afile' is a file, not a folder/u);
      expect(dataDirOf({ REVOPS_DATA_DIR: 'not-yet' }, dir)).toBe(join(dir, 'not-yet'));
      expect(dataDirOf({}, dir)).toBe(join(dir, '.revops'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080', REVOPS_ENGINE: 'converse', REVOPS_DATA_DIR: '/var/revops', REVOPS_CONCURRENCY: '16',
      REVOPS_VISIBILITY_TIMEOUT_SECONDS: '5', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 't', SLACK_API_URL: 'http://127.0.0.1:9/api/',
      WEBHOOK_API_KEYS: ' key-one-0123456789 ,key-two-0123456789,', WEBHOOK_SIGNING_SECRET: 'h', WEBHOOK_URL: 'https://hooks.example.com/x',
      REVOPS_QUEUE: 'sqs', REVOPS_QUEUE_URL_WEBHOOK: 'https://sqs.us-east-1.amazonaws.com/1/q', REVOPS_EXPORT_BUCKET: 'b', AWS_REGION: 'eu-west-1',
    }, '/p');
    expect(config).toMatchObject({
      port: 8080, engine: 'converse', dataDir: '/var/revops', concurrency: 16, visibilityTimeoutSeconds: 5,
      slack: { signingSecret: 's', botToken: 't', apiUrl: 'http://127.0.0.1:9/api/' },
      webhook: { apiKeys: ['key-one-0123456789', 'key-two-0123456789'], signingSecret: 'h', url: 'https://hooks.example.com/x' },
      queue: { backend: 'sqs', urls: { REVOPS_QUEUE_URL_WEBHOOK: 'https://sqs.us-east-1.amazonaws.com/1/q' } }, exports: { bucket: 'b' }, awsRegion: 'eu-west-1',
    });
  });

  it('finds the queue of a channel whose name holds a dash or capitals under the variable infra sets', () => {
    const config = loadConfig({ REVOPS_QUEUE: 'sqs', REVOPS_QUEUE_URL_DEAL_DESK: 'https://sqs.us-east-1.amazonaws.com/1/dd' }, '/p');
    expect(queueUrlVariable('Deal-Desk')).toBe('REVOPS_QUEUE_URL_DEAL_DESK');
    expect(config.queue.urls[queueUrlVariable('deal-desk')]).toBe('https://sqs.us-east-1.amazonaws.com/1/dd');
  });

  it.each([
    ['PORT', '70000'], ['PORT', 'http'], ['REVOPS_ENGINE', 'gpt'], ['REVOPS_CONCURRENCY', '0'], ['REVOPS_CONCURRENCY', '2.5'],
    ['WEBHOOK_URL', 'not a url'], ['WEBHOOK_URL', 'ftp://example.com/'], ['SLACK_API_URL', '://'], ['WEBHOOK_API_KEYS', 'short'],
    ['REVOPS_QUEUE', 'kafka'], ['REVOPS_LOG_LEVEL', 'loud'],
  ])('rejects %s=%s with an error naming the variable', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value }, '/p');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
  });
});

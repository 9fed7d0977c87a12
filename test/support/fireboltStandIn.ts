/**
 * A loopback stand-in for Firebolt's HTTP API, enough for the real firebolt-sdk (read from its source, v1.13):
 * - `POST /oauth/token` — service-account login (form body: client_id, client_secret, grant_type, audience);
 * - `GET /web/v3/account/<account>/engineUrl` — the system engine URL for the account;
 * - `POST /query` (system engine) — `USE DATABASE "…"` / `USE ENGINE "…"`, answered with the
 *   `Firebolt-Update-Parameters` / `Firebolt-Update-Endpoint` headers the SDK follows;
 * - `POST /engine` (user engine) — SQL in the body, `query_parameters` (`[{name: "$1", value}]`), `database`,
 *   `statement_timeout`, `max_result_rows` and `output_format=JSON_Compact` in the URL; answered from a DuckDB file as
 *   `{meta, data, rows, statistics}`, errors as HTTP 400 `{errors: [{description, …}]}`; `information_schema.columns`
 *   names its `data_type`s as Firebolt does (`text`, `double precision`), not as DuckDB does.
 * HTTPS only (the SDK always uses an HTTPS agent), with a throwaway self-signed certificate made by `openssl`; the
 * client process trusts it through NODE_EXTRA_CA_CERTS. The stand-in records each engine request for assertions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { bindValue } from '../../runtime/warehouse/duckdbValues.ts';
import type { SqlValue } from '../../runtime/warehouse/warehouse.ts';

export interface StandInOptions {
  /** A DuckDB file (e.g. the seeded sample warehouse), opened read-only. */
  databaseFile: string;
  clientId: string;
  clientSecret: string;
  account: string;
  database: string;
  engine: string;
}

export interface EngineRequest {
  sql: string;
  params: URLSearchParams;
}

export interface FireboltStandIn {
  /** For FIREBOLT_API_ENDPOINT. */
  apiEndpoint: string;
  /** PEM file to put in NODE_EXTRA_CA_CERTS of the client process. */
  caFile: string;
  requests: EngineRequest[];
  close(): Promise<void>;
}

async function selfSignedCertificate(dir: string): Promise<{ key: string; cert: string; certFile: string }> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8'), certFile };
}

const body = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
};

const fireboltError = (res: ServerResponse, description: string): void =>
  json(res, 400, { errors: [{ severity: 'ERROR', name: 'QueryError', description }] });

/** A DuckDB type as Firebolt names it. */
function fireboltTypeName(duckType: string): string {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckType);
  if (decimal) return `numeric(${decimal[1]}, ${decimal[2]})`;
  const map: Record<string, string> = {
    VARCHAR: 'text', INTEGER: 'integer', SMALLINT: 'integer', TINYINT: 'integer', BIGINT: 'bigint', HUGEINT: 'bigint',
    DOUBLE: 'double precision', FLOAT: 'real', DATE: 'date', TIMESTAMP: 'timestamp', BOOLEAN: 'boolean',
  };
  return map[duckType] ?? 'text';
}

/** A result column's type as Firebolt sends it; every column may be NULL. */
const fireboltType = (duckType: string): string => `${fireboltTypeName(duckType)} null`;

/** Firebolt's wire form: numbers as JSON numbers, dates and timestamps as text ('2025-12-31', '… 15:30:00'). */
function wireValue(value: DuckDBValue): string | number | boolean | null {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  const text = value.toString();
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

async function runQuery(connection: DuckDBConnection, sql: string, params: URLSearchParams) {
  const bound = JSON.parse(params.get('query_parameters') ?? '[]') as Array<{ name: string; value: SqlValue }>;
  const timeout = Number(params.get('statement_timeout') ?? 0);
  const timer = timeout > 0 ? setTimeout(() => connection.interrupt(), timeout) : undefined;
  const started = performance.now();
  try {
    const statement = await connection.prepare(sql);
    for (const { name, value } of bound) bindValue(statement, Number(name.replace('$', '')), value);
    const reader = await statement.runAndReadAll();
    const meta = reader.columnNames().map((name, i) => ({ name, type: fireboltType(reader.columnType(i).toString()) }));
    const maxRows = Number(params.get('max_result_rows') ?? 0);
    const typeColumn = /information_schema\.columns/i.test(sql) ? reader.columnNames().indexOf('data_type') : -1;
    const data = reader.getRows().slice(0, maxRows > 0 ? maxRows : undefined)
      .map((row) => row.map((value, i) => (i === typeColumn && typeof value === 'string' ? fireboltTypeName(value) : wireValue(value))));
    const elapsed = (performance.now() - started) / 1000;
    return { meta, data, rows: data.length, statistics: { elapsed, rows_read: data.length, bytes_read: 0 } };
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(/INTERRUPT/.test(message) ? `Query was cancelled: statement_timeout of ${timeout} ms exceeded` : message);
  } finally {
    clearTimeout(timer);
  }
}

export async function startFireboltStandIn(options: StandInOptions): Promise<FireboltStandIn> {
  const dir = await mkdtemp(join(tmpdir(), 'firebolt-standin-'));
  const { key, cert, certFile } = await selfSignedCertificate(dir);
  const instance = await DuckDBInstance.create(options.databaseFile, { access_mode: 'READ_ONLY', enable_external_access: 'false' });
  const tokens = new Set<string>();
  const requests: EngineRequest[] = [];
  let origin = '';

  const authorised = (req: IncomingMessage): boolean => tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = new URLSearchParams(await body(req));
      if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret ||
        form.get('grant_type') !== 'client_credentials') {
        return json(res, 401, { error: 'access_denied', message: 'Invalid client credentials' });
      }
      const token = `token-${tokens.size + 1}`;
      tokens.add(token);
      return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (!authorised(req)) return json(res, 401, { message: 'Unauthorized' });
    const engineUrl = /^\/web\/v3\/account\/([^/]+)\/engineUrl$/.exec(url.pathname);
    if (req.method === 'GET' && engineUrl) {
      if (decodeURIComponent(engineUrl[1]!) !== options.account) return json(res, 404, { message: 'account not found' });
      return json(res, 200, { engineUrl: `${origin}/system?account_id=acc-123` });
    }
    const sql = await body(req);
    if (req.method === 'POST' && url.pathname === '/query') {
      const use = /^USE (DATABASE|ENGINE) "([^"]+)"$/i.exec(sql.trim());
      if (use?.[1]!.toUpperCase() === 'DATABASE' && use[2] === options.database) {
        res.writeHead(200, { 'Firebolt-Update-Parameters': `database=${use[2]}` }).end();
        return;
      }
      if (use?.[1]!.toUpperCase() === 'ENGINE' && use[2] === options.engine) {
        res.writeHead(200, { 'Firebolt-Update-Endpoint': `${origin}/engine?engine=${encodeURIComponent(use[2])}` }).end();
        return;
      }
      return fireboltError(res, use ? `${use[1]} "${use[2]}" does not exist or is not authorized` :
        'The system engine only runs USE, SHOW and metadata statements here; pick a user engine');
    }
    if (req.method === 'POST' && url.pathname === '/engine') {
      if (url.searchParams.get('database') !== options.database) return fireboltError(res, 'no database selected');
      requests.push({ sql, params: url.searchParams });
      const connection = await instance.connect();
      try {
        return json(res, 200, await runQuery(connection, sql, url.searchParams));
      } catch (error) {
        return fireboltError(res, (error as Error).message);
      } finally {
        connection.disconnectSync();
      }
    }
    return json(res, 404, { message: `no route ${req.method} ${url.pathname}` });
  }

  const server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((error: Error) => json(res, 500, { message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiEndpoint: origin,
    caFile: certFile,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

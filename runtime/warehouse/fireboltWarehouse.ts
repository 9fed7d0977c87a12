/**
 * Firebolt behind the `Warehouse` contract, through the real firebolt-sdk: service-account authentication, engine
 * URL resolution and `USE DATABASE` / `USE ENGINE` are the SDK's. `:name` placeholders become Firebolt's
 * server-side parameters (`$1`, `$2`, … sent as `query_parameters` by the SDK's `fb_numeric` prepared-statement
 * style), so values are bound by the engine, never spliced into the text. Firebolt returns a result as one JSON
 * document: rows beyond `maxRows` are dropped here, and `max_result_rows` (below) keeps the engine from sending them.
 * A timeout is sent as Firebolt's `statement_timeout` and enforced here too; the connection whose request was
 * abandoned is dropped and the next query opens a fresh one. A row cap is sent as `max_result_rows` (one more than
 * the cap, to tell a truncated result), so the engine never builds or sends more. Firebolt has no per-query memory
 * setting; an engine's out-of-memory refusal becomes a `too_large` error.
 */
import { Firebolt } from 'firebolt-sdk';
import { once } from '../once.ts';
import type { FireboltConfig } from './fireboltConfig.ts';
import { columnType, fireboltValue } from './fireboltValues.ts';
import { checkParameters, findPlaceholders, rewritePlaceholders } from './placeholders.ts';
import { type QueryOptions, type QueryResult, type Warehouse, WarehouseError, type WarehouseErrorCode } from './warehouse.ts';

type Connection = Awaited<ReturnType<ReturnType<typeof Firebolt>['connect']>>;

/** Grace after `statement_timeout` for the engine's own cancellation to come back before we give up on the request. */
const TIMEOUT_GRACE_MS = 1000;

export async function openFireboltWarehouse(config: FireboltConfig): Promise<Warehouse> {
  const warehouse = new FireboltWarehouse(config);
  await warehouse.connection(); // fail at open, with a 'connection' error, rather than on the first question
  return warehouse;
}

class FireboltWarehouse implements Warehouse {
  readonly dialect = 'firebolt' as const;
  /** Connects on the first call; a failed connect, or a connection given up on (`abandon`), is made again. */
  readonly connection = once(() => this.connect());

  constructor(private readonly config: FireboltConfig) {}

  private async connect(): Promise<Connection> {
    const { clientId, clientSecret, account, database, engine, apiEndpoint } = this.config;
    try {
      return await Firebolt(apiEndpoint ? { apiEndpoint } : {}).connect({
        auth: { client_id: clientId, client_secret: clientSecret },
        account,
        database,
        engineName: engine,
        preparedStatementParamStyle: 'fb_numeric',
      });
    } catch (cause) {
      throw new WarehouseError('connection', `cannot connect to Firebolt account '${account}' (database '${database}', ` +
        `engine '${engine}'): ${describe(cause)}; check FIREBOLT_* credentials and names`, { cause });
    }
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (/^\s*set\s/i.test(sql)) {
      // The SDK turns SET into a session setting for every later query on the connection; a tool must not.
      throw new WarehouseError('syntax', 'SET statements cannot run through the warehouse; pass settings in the connection');
    }
    const placeholders = findPlaceholders(sql, this.dialect);
    const names = checkParameters(placeholders, options.params);
    const statement = rewritePlaceholders(sql, placeholders, (name) => `$${names.indexOf(name) + 1}`);
    const started = performance.now();
    const connection = await this.connection();
    const parameters = names.map((name) => options.params![name]);
    const run = connection.execute(statement, executeOptions(parameters, options)).then((s) => s.fetchResult());
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = options.timeoutMs === undefined ? await run : await Promise.race([run, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WarehouseError('timeout', '')), options.timeoutMs! + TIMEOUT_GRACE_MS);
      })]);
      const meta = result.meta ?? [];
      const columns = meta.map((m) => ({ name: m.name, type: columnType(m.type) }));
      const data = (result.data ?? []) as unknown[][];
      const rowCount = options.maxRows === undefined ? data.length : Math.min(data.length, options.maxRows);
      const rows = data.slice(0, rowCount).map((row) => Object.fromEntries(meta.map((m, i) => [m.name, fireboltValue(row[i], m.type)])));
      return { columns, rows, stats: { rowCount, truncated: data.length > rowCount, durationMs: performance.now() - started } };
    } catch (cause) {
      const elapsed = performance.now() - started;
      if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs) {
        if (cause instanceof WarehouseError) this.abandon(connection);
        throw new WarehouseError('timeout', `query cancelled after ${options.timeoutMs} ms; narrow it (filters, LIMIT)` +
          ' or raise the timeout', { cause });
      }
      throw new WarehouseError(classify(cause), describe(cause), { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts the abandoned request and forgets the connection; the next query connects again. */
  private abandon(connection: Connection): void {
    this.connection.forget();
    void connection.destroy();
  }

  async close(): Promise<void> {
    const current = this.connection.started();
    this.connection.forget();
    if (current) await (await current.catch(() => undefined))?.destroy();
  }
}

/**
 * firebolt-sdk 1.13 builds `query_parameters` into the request settings and then spreads the caller's options over
 * them, so passing any `settings` silently drops the parameters. When we add a setting we therefore send
 * `query_parameters` ourselves, in the shape the SDK uses (`[{name: "$1", value}]`).
 */
function executeOptions(parameters: unknown[], { timeoutMs, maxRows }: QueryOptions) {
  if (timeoutMs === undefined && maxRows === undefined) return { parameters };
  const queryParameters = JSON.stringify(parameters.map((value, i) => ({ name: `$${i + 1}`, value })));
  return {
    parameters,
    settings: {
      ...(timeoutMs === undefined ? {} : { statement_timeout: timeoutMs }),
      ...(maxRows === undefined ? {} : { max_result_rows: maxRows + 1 }),
      query_parameters: queryParameters,
    },
  };
}

interface FireboltErrorEntry {
  description?: string;
  name?: string;
}

/** Firebolt's structured errors (`{errors: [{description, …}]}`) read better than the SDK's request dump. */
function describe(error: unknown): string {
  const entries = (error as { errors?: FireboltErrorEntry[]; raw?: { errors?: FireboltErrorEntry[] } })?.errors ??
    (error as { raw?: { errors?: FireboltErrorEntry[] } })?.raw?.errors;
  if (Array.isArray(entries) && entries.length) return entries.map((e) => e.description ?? e.name ?? 'error').join('; ');
  const status = (error as { status?: number })?.status;
  const message = error instanceof Error ? error.message : String(error);
  const reason = /Reason: (.*)/.exec(message)?.[1];
  return status ? `HTTP ${status}: ${reason ?? message.trim()}` : message.trim();
}

function classify(error: unknown): WarehouseErrorCode {
  const status = (error as { status?: number })?.status;
  if (status === 401 || status === 403) return 'connection';
  if (/out of memory|memory limit/i.test(describe(error))) return 'too_large';
  return /syntax|parse|not found|does not exist|unknown (column|table|function)/i.test(describe(error)) ? 'syntax' : 'execution';
}

/**
 * SQL syntax through DuckDB's own parser (`json_serialize_sql`), the engine the embedded warehouse runs. One
 * in-memory instance per compile, started on the first SQL tool, so a project without SQL never loads DuckDB.
 * `:name` placeholders become `$name` first (same length, so error positions still point into the spec's SQL).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { findPlaceholders } from './placeholders.ts';

export type SqlParse =
  | { ok: true; statements: number }
  | { ok: false; message: string; position?: number; notSelect: boolean };

export class LazySqlParser {
  private started?: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }>;

  /** Starts the instance in the background (native threads), so it is ready when the SQL checks run. */
  warm(): void {
    void this.start().catch(() => undefined);
  }

  private start() {
    this.started ??= (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      // One thread and no extension loading: only the parser is needed, and nothing may reach the network.
      const instance = await DuckDBInstance.create(':memory:', {
        threads: '1',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      return { instance, connection: await instance.connect() };
    })();
    return this.started;
  }

  async parse(sql: string): Promise<SqlParse> {
    const chars = sql.split('');
    for (const { index } of findPlaceholders(sql)) chars[index] = '$';
    const rewritten = chars.join('');
    const { connection } = await this.start();
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [rewritten]);
    const result = JSON.parse(String(reader.getRows()[0]![0])) as {
      error: boolean;
      error_message?: string;
      position?: string | number;
      statements?: unknown[];
    };
    if (!result.error) return { ok: true, statements: result.statements?.length ?? 1 };
    const message = result.error_message ?? 'unknown parser error';
    const position = result.position === undefined ? undefined : Number(result.position);
    return { ok: false, message, position, notSelect: /Only SELECT statements/i.test(message) };
  }

  async close(): Promise<void> {
    if (!this.started) return;
    const { instance, connection } = await this.started;
    connection.closeSync();
    instance.closeSync();
  }
}

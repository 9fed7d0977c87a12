/**
 * SQL syntax through DuckDB's own parser (`json_serialize_sql`), the engine the embedded warehouse runs. One
 * in-memory instance per compile, started on the first SQL tool, so a project without SQL never loads DuckDB.
 * `:name` placeholders become `$name` first (same length, so error positions still point into the spec's SQL).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { requireDuckDb } from '../commonjs.ts';
import { findPlaceholders, type Placeholder } from '../sql/placeholders.ts';
import { SqlLexError, withoutTerminator } from '../sql/sqlLexer.ts';

export type SqlParse =
  | { ok: true; statements: number; /** DuckDB's parse tree of each statement (column and table refs carry `query_location`, a byte offset). */ tree: unknown[] }
  | { ok: false; message: string; position?: number; notSelect: boolean };

/** A result column as DuckDB types it (`VARCHAR`, `BIGINT`, `DECIMAL(18,3)`…). */
export interface ResultColumn {
  name: string;
  type: string;
}

/** DuckDB's type for a NULL standing in for a tool parameter of each Bedrock type. */
const NULL_OF: Record<string, string> = { string: 'VARCHAR', number: 'DOUBLE', integer: 'BIGINT', boolean: 'BOOLEAN', array: 'VARCHAR[]' };

/**
 * The statement's placeholders, or none where the lexer refuses it: the SQL check reports that refusal itself
 * (the read-only guard's lexis, RV5021), so every other check reads the statement as having no placeholders.
 */
export function placeholdersOf(sql: string): Placeholder[] {
  try {
    return findPlaceholders(sql);
  } catch (error) {
    if (error instanceof SqlLexError) return [];
    throw error;
  }
}

/** `:name` -> `$name`: the same length, so offsets into the statement still point into the spec's SQL. */
function dollarPlaceholders(sql: string): string {
  const chars = sql.split('');
  for (const { start } of placeholdersOf(sql)) chars[start] = '$';
  return chars.join('');
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export class LazySqlParser {
  private started?: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }>;
  private readonly parsed = new Map<string, Promise<SqlParse>>();
  private tablesCreated?: Promise<void>;
  private readonly described = new Map<string, Promise<ResultColumn[] | undefined>>();

  /** Starts the instance in the background (native threads), so it is ready when the SQL checks run. */
  warm(): void {
    void this.start().catch(() => undefined);
  }

  private start() {
    this.started ??= (async () => {
      const { DuckDBInstance } = requireDuckDb();
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

  /** The tool checks and the template checks both read a statement's tree: it is parsed once. */
  parse(sql: string): Promise<SqlParse> {
    let parse = this.parsed.get(sql);
    if (!parse) this.parsed.set(sql, (parse = this.parseNow(sql)));
    return parse;
  }

  private async parseNow(sql: string): Promise<SqlParse> {
    const rewritten = dollarPlaceholders(sql);
    const { connection } = await this.start();
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [rewritten]);
    const result = JSON.parse(String(reader.getRows()[0]![0])) as {
      error: boolean;
      error_message?: string;
      position?: string | number;
      statements?: unknown[];
    };
    if (!result.error) return { ok: true, statements: result.statements?.length ?? 1, tree: result.statements ?? [] };
    const message = result.error_message ?? 'unknown parser error';
    const position = result.position === undefined ? undefined : Number(result.position);
    return { ok: false, message, position, notSelect: /Only SELECT statements/i.test(message) };
  }

  /** Creates the schema's tables, empty, so statements over them can be typed (once per compile). */
  createTables(tables: ReadonlyMap<string, { columns: ReadonlyMap<string, { type: string }> }>): Promise<void> {
    this.tablesCreated ??= (async () => {
      const { connection } = await this.start();
      for (const [name, { columns }] of tables) {
        const list = [...columns].map(([column, { type }]) => `${quote(column)} ${type}`).join(', ');
        // A type DuckDB does not know (a Firebolt-only one) leaves that table out; its statements stay untyped.
        await connection.run(`CREATE TABLE ${quote(name)} (${list})`).catch(() => undefined);
      }
    })();
    return this.tablesCreated;
  }

  /**
   * The columns a statement returns, from DuckDB's binder over the empty tables (`createTables` first), each
   * `:param` a NULL of its declared type; undefined when the statement does not bind (a function or type DuckDB
   * does not have).
   */
  resultColumns(sql: string, parameterTypes: Readonly<Record<string, string>>): Promise<ResultColumn[] | undefined> {
    const key = JSON.stringify([sql, parameterTypes]);
    let columns = this.described.get(key);
    if (!columns) this.described.set(key, (columns = this.describe(sql, parameterTypes)));
    return columns;
  }

  private async describe(sql: string, parameterTypes: Readonly<Record<string, string>>): Promise<ResultColumn[] | undefined> {
    const { connection } = await this.start();
    let statement: string;
    try {
      statement = withoutTerminator(sql.trim());
    } catch (error) {
      // What the lexer refuses is reported by the SQL check itself (RV5021); it is not typed.
      if (error instanceof SqlLexError) return undefined;
      throw error;
    }
    // DuckDB types an unbound `$name` from where it is used (a DATE when compared with a date column); where it
    // cannot tell (`'%' || $name || '%'`), a NULL of the parameter's declared type stands in.
    try {
      const prepared = await connection.prepare(dollarPlaceholders(statement));
      return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: prepared.columnType(i).toString() }));
    } catch {
      let typed = statement;
      for (const { name, start, end } of placeholdersOf(statement).reverse()) {
        typed = `${typed.slice(0, start)}CAST(NULL AS ${NULL_OF[parameterTypes[name] ?? 'string'] ?? 'VARCHAR'})${typed.slice(end)}`;
      }
      try {
        const reader = await connection.runAndReadAll(`DESCRIBE ${typed}`);
        return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
      } catch {
        return undefined;
      }
    }
  }

  async close(): Promise<void> {
    if (!this.started) return;
    const { instance, connection } = await this.started;
    connection.closeSync();
    instance.closeSync();
  }
}

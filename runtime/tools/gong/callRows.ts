/** The row shape both call sources (Gong API, warehouse `calls` table) return, so skills and models see one format. */
import type { QueryColumn, Row } from '../../warehouse/warehouse.ts';

export const CALL_COLUMNS: QueryColumn[] = [
  ['call_id', 'VARCHAR'], ['call_date', 'DATE'], ['title', 'VARCHAR'], ['account_name', 'VARCHAR'],
  ['participants', 'VARCHAR'], ['duration_minutes', 'INTEGER'], ['summary', 'VARCHAR'],
  ['transcript_excerpt', 'VARCHAR'], ['competitor_mentions', 'VARCHAR'], ['objections', 'VARCHAR'],
  ['next_steps', 'VARCHAR'], ['source', 'VARCHAR'],
].map(([name, type]) => ({ name: name!, type: type! }));

export interface CallQuery {
  /** Part of the account name; matched case-insensitively. */
  account: string | undefined;
  from: Date;
  to: Date;
  maxRows: number;
}

export const callRow = (values: Partial<Row>): Row =>
  Object.fromEntries(CALL_COLUMNS.map((c) => [c.name, values[c.name] ?? null])) as Row;

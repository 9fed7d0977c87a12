/**
 * The text of a `specs/warehouse/<name>.yaml` spec for tables read from a live warehouse (readSchema.ts): one line
 * per column, in the warehouse's column order, so a diff of two readings shows exactly what changed.
 */
import type { WarehouseTables } from './readSchema.ts';

export const WAREHOUSE_SCHEMA_LINE = '# yaml-language-server: $schema=../../compiler/schemas/warehouse.schema.json';

/** Plain when YAML reads it back as the same string inside a flow mapping; JSON-quoted otherwise. */
const scalar = (text: string): string => (/^[A-Za-z][A-Za-z0-9 ]*$/.test(text) && !/^(true|false|null|yes|no|on|off)$/i.test(text) ? text : JSON.stringify(text));

export function warehouseSpecText(name: string, dialect: 'duckdb' | 'firebolt', tables: WarehouseTables): string {
  const lines = [
    WAREHOUSE_SCHEMA_LINE,
    `# The ${dialect} warehouse's tables and columns, written by \`revops data schema\`; the compiler checks SQL tools,`,
    '# eval facts and templates against it. Column descriptions come from the warehouse\'s column comments.',
    `name: ${scalar(name)}`,
    `dialect: ${dialect}`,
    'tables:',
  ];
  for (const [table, columns] of [...tables].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  ${table}:`, '    columns:');
    for (const [column, { type, description }] of columns) {
      lines.push(`      ${column}: { type: ${scalar(type)}${description ? `, description: ${JSON.stringify(description)}` : ''} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A warehouse that connects on its first query. The processor on the bedrock-agents engine never runs a tool
 * itself, so it should not pay a Firebolt login at every cold start; the tool executor pays it once, when needed.
 */
import { once } from '../once.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

export function lazyWarehouse(open: () => Promise<Warehouse>, dialect: Warehouse['dialect'] = 'firebolt'): Warehouse {
  const get = once(open);
  return {
    dialect,
    query: async (sql, options) => (await get()).query(sql, options),
    close: async () => {
      const opened = get.started();
      if (opened) await (await opened).close();
    },
  };
}

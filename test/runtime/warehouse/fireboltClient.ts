/**
 * The client half of the Firebolt suite, run as its own process so NODE_EXTRA_CA_CERTS can make Node trust the
 * stand-in's throwaway certificate (Node reads it only at start-up, and the SDK's HTTPS agent takes no CA option).
 * It opens the warehouse the way production does — `openWarehouse` with REVOPS_WAREHOUSE=firebolt and FIREBOLT_*
 * from the environment — runs the queries in REVOPS_TEST_QUERIES (JSON) in order and prints one JSON document:
 * either `{openError}` or `{results: [{result} | {error}]}`.
 */
import { openWarehouse } from '../../../runtime/warehouse/openWarehouse.ts';
import { type QueryOptions, WarehouseError } from '../../../runtime/warehouse/warehouse.ts';

export interface PlannedQuery extends QueryOptions {
  sql: string;
}

const failure = (error: unknown) =>
  error instanceof WarehouseError ? { code: error.code, message: error.message } : { code: 'unexpected', message: String(error) };

const queries = JSON.parse(process.env.REVOPS_TEST_QUERIES ?? '[]') as PlannedQuery[];
let output: unknown;
try {
  const warehouse = await openWarehouse(process.env);
  const results: unknown[] = [];
  for (const { sql, ...options } of queries) {
    results.push(await warehouse.query(sql, options).then((result) => ({ result }), (error: unknown) => ({ error: failure(error) })));
  }
  await warehouse.close();
  output = { dialect: warehouse.dialect, results };
} catch (error) {
  output = { openError: failure(error) };
}
process.stdout.write(JSON.stringify(output));

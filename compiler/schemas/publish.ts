/**
 * Writes compiler/schemas/<kind>.schema.json from the schema objects in compiler/schema/, for editors
 * (`# yaml-language-server: $schema=…` at the top of each spec). Run after changing a schema:
 * `npx tsx compiler/schemas/publish.ts`; test/compiler/schemas.test.ts fails while the published files are stale.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJson } from '../emit/serialize.ts';
import { SCHEMAS } from '../schema/index.ts';

export const SCHEMAS_DIR = dirname(fileURLToPath(import.meta.url));

/** File name -> exact bytes to publish. */
export const publishedSchemas = (): Record<string, string> =>
  Object.fromEntries(Object.entries(SCHEMAS).map(([kind, schema]) => [`${kind}.schema.json`, toJson(schema)]));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [file, text] of Object.entries(publishedSchemas())) {
    await writeFile(join(SCHEMAS_DIR, file), text);
    console.log(`wrote compiler/schemas/${file}`);
  }
}

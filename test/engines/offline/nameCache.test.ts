import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../../compiler/index.ts';
import type { Manifest } from '../../../compiler/manifest.ts';
import { collect } from '../../../runtime/engines/collect.ts';
import { readEntityNames } from '../../../runtime/engines/offline/readEntityNames.ts';
import { createOfflineEngine } from '../../../runtime/engines/offline/index.ts';
import { nameColumns } from '../../../runtime/engines/offline/nameColumns.ts';
import { cachedEntityNames, nameCachePath, readNameCache, writeNameCache } from '../../../runtime/engines/offline/nameCache.ts';
import { packNames, type PackedNames, stringAt } from '../../../runtime/engines/offline/packedNames.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { NOW, REPO_ROOT } from './seedProject.ts';

/** The warehouse with every query it is sent recorded. */
function spied(warehouse: Warehouse): { warehouse: Warehouse; queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    warehouse: {
      dialect: warehouse.dialect,
      query: async (sql, options) => {
        queries.push(sql);
        return warehouse.query(sql, options);
      },
      close: () => warehouse.close(),
      ...(warehouse.snapshot ? { snapshot: warehouse.snapshot } : {}),
    },
  };
}

describe('entity name cache', () => {
  let dir: string;
  let path: string;
  let manifest: Manifest;
  let sources: string[];

  beforeAll(async () => {
    const compiled = await compileProject(REPO_ROOT);
    manifest = compiled.manifest!;
    sources = manifest.tools.flatMap((t) => t.parameters.flatMap((p) => nameColumns(t, p)));
    dir = await mkdtemp(join(tmpdir(), 'revops-names-'));
    path = join(dir, 'warehouse.duckdb');
    await seedSampleWarehouse({ out: path, scale: 300, now: NOW });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const withWarehouse = async <T>(use: (w: Warehouse) => Promise<T>, readOnly = true): Promise<T> => {
    const w = await openDuckDbWarehouse(path, { readOnly });
    try {
      return await use(w);
    } finally {
      await w.close();
    }
  };

  it('reads the names from the warehouse once, then from the cache without a query', async () => {
    await rm(nameCachePath(path), { force: true });
    // Packing sorts each partner list: DuckDB's list(DISTINCT …) gives no order, so two reads may differ in it.
    const fresh = packNames(await withWarehouse((w) => readEntityNames(w, sources)));
    const first = await withWarehouse(async (w) => {
      const s = spied(w);
      const names = await cachedEntityNames(s.warehouse, sources);
      expect(s.queries.length).toBeGreaterThan(0);
      return names;
    });
    expect(first).toEqual(fresh);
    const second = await withWarehouse(async (w) => {
      const s = spied(w);
      const names = await cachedEntityNames(s.warehouse, sources);
      expect(s.queries).toEqual([]);
      return names;
    });
    expect(second).toEqual(fresh);
  });

  it('rebuilds after the warehouse changed', async () => {
    await withWarehouse((w) => cachedEntityNames(w, sources));
    await withWarehouse((w) => w.query("UPDATE opportunities SET opportunity_name = 'Zyxwvut Renewal' WHERE rowid = 0"), false);
    const names = await withWarehouse(async (w) => {
      const s = spied(w);
      const read = await cachedEntityNames(s.warehouse, sources);
      expect(s.queries.length).toBeGreaterThan(0);
      return read;
    });
    const opportunities = names.tables.find((t) => t.table === 'opportunities')!;
    const dealNames = [...opportunities.values[opportunities.columns.indexOf('opportunity_name')]!].map((id) => stringAt(names.strings, id));
    expect(dealNames).toContain('Zyxwvut Renewal');
  });

  it.each([
    ['cut short', async (file: string) => truncate(file, Math.floor((await readFile(file)).length / 2))],
    ['with a byte changed', async (file: string) => {
      const data = await readFile(file);
      data[data.length - 10] = data[data.length - 10] === 0x31 ? 0x32 : 0x31;
      await writeFile(file, data);
    }],
    ['not a cache at all', async (file: string) => writeFile(file, 'garbage')],
  ])('ignores and rebuilds a cache file %s', async (_, damage) => {
    const fresh = await withWarehouse((w) => cachedEntityNames(w, sources));
    await damage(nameCachePath(path));
    const again = await withWarehouse(async (w) => {
      const s = spied(w);
      const read = await cachedEntityNames(s.warehouse, sources);
      expect(s.queries.length).toBeGreaterThan(0);
      return read;
    });
    expect(again).toEqual(fresh);
    // The rebuilt file is whole again: the next read needs no query.
    await withWarehouse(async (w) => {
      const s = spied(w);
      await cachedEntityNames(s.warehouse, sources);
      expect(s.queries).toEqual([]);
    });
  });

  it('leaves one whole file from concurrent writers, and readers never see half of one', async () => {
    const file = join(dir, 'concurrent.names');
    const versions: PackedNames[] = Array.from({ length: 8 }, (_, i) => packNames({
      tables: [{ table: 't', columns: ['c'], values: [Array.from({ length: 20_000 }, (_, j) => `name ${i} ${j}`)], partners: {} }], valueColumns: {},
    }));
    const seen: Array<PackedNames | undefined> = [];
    const reads = Array.from({ length: 16 }, async () => seen.push(await readNameCache(file, 'k')));
    const written = await Promise.all([...versions.map((v) => writeNameCache(file, 'k', v)), ...reads]);
    expect(written.slice(0, versions.length)).toEqual(versions.map(() => true));
    for (const read of [...seen, await readNameCache(file, 'k')]) {
      if (read) expect(versions).toContainEqual(read);
    }
    expect(versions).toContainEqual(await readNameCache(file, 'k'));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a cache written for other columns or another warehouse version is not used', async () => {
    const names = await withWarehouse((w) => cachedEntityNames(w, sources));
    const key = JSON.parse((await readFile(nameCachePath(path), 'utf8')).split('\n')[0]!).key as string;
    expect(await readNameCache(nameCachePath(path), key)).toEqual(names);
    expect(await readNameCache(nameCachePath(path), `${key}x`)).toBeUndefined();
    await withWarehouse(async (w) => {
      const s = spied(w);
      await cachedEntityNames(s.warehouse, [...new Set(sources)].slice(1));
      expect(s.queries.length).toBeGreaterThan(0);
    });
  });

  it('a warm cache starts an engine without a query: entity names and the metrics layer\'s dimension values both come from it', async () => {
    expect(manifest.metrics.length).toBeGreaterThan(0);
    const ready = (w: Warehouse) => {
      const toolbox = createToolbox(manifest.tools, { warehouse: w, env: {}, now: () => NOW });
      return createOfflineEngine({ manifest, toolbox, warehouse: w, now: () => NOW });
    };
    await rm(nameCachePath(path), { force: true });
    await withWarehouse(async (w) => {
      const s = spied(w);
      await ready(s.warehouse);
      expect(s.queries.some((q) => /SELECT DISTINCT owner_name/u.test(q))).toBe(true);
    });
    await withWarehouse(async (w) => {
      const s = spied(w);
      const engine = await ready(s.warehouse);
      expect(s.queries).toEqual([]);
      // The owner came from the cache: a metric question by owner is read as filtered by that owner.
      const owner = String((await w.query('SELECT owner_name FROM opportunities ORDER BY owner_name LIMIT 1')).rows[0]!.owner_name);
      const result = await collect(engine.invoke({ agent: 'manager', text: `what is the open pipeline for ${owner}?`, sessionId: 'owner' }));
      expect(result.status).toBe('done');
      expect(JSON.stringify(result.events.filter((e) => e.type === 'tool_call'))).toContain(owner);
    });
  });

  it('with namesOnFirstQuestion the engine reads no names at creation, and the first question does', async () => {
    await rm(nameCachePath(path), { force: true });
    await withWarehouse(async (w) => {
      const s = spied(w);
      const toolbox = createToolbox(manifest.tools, { warehouse: w, env: {}, now: () => NOW });
      const engine = await createOfflineEngine({ manifest, toolbox, warehouse: s.warehouse, now: () => NOW, namesOnFirstQuestion: true });
      expect(s.queries).toEqual([]);
      expect(() => engine.analyse('status of IXIS')).toThrow(/ready/u);
      const result = await collect(engine.invoke({ agent: 'manager', text: 'what is the status of the IXIS deal?', sessionId: 's' }));
      expect(result.status).toBe('done');
      expect(result.answer).toMatch(/IXIS/u);
      expect(s.queries.length).toBeGreaterThan(0);
      expect(engine.analyse('status of IXIS').mentions.length).toBeGreaterThan(0);
    });
  });
});

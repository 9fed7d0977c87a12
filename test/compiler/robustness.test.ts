/**
 * 50 seeded random mutations of the valid tree (delete a key, change a value's type, misspell a name, truncate
 * the file): the compiler must answer with diagnostics, never throw, and every diagnostic must point inside its file.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { catalog, compileProject } from '../../compiler/index.ts';
import { seededRandom as prng } from '../support/seededRandom.ts';
import { readSpec, removeProject, tempProject, VALID, writeSpec } from './helpers.ts';

type Mutation = (text: string, random: () => number) => string;
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const onNode = (change: (node: unknown, random: () => number) => void): Mutation => (text, random) => {
  const doc = parseDocument(text);
  const nodes: unknown[] = [];
  visit(doc, { Node: (_, node) => void nodes.push(node) });
  if (nodes.length) change(pick(nodes, random), random);
  return doc.toString();
};

const MUTATIONS: Record<string, Mutation> = {
  deleteKey: onNode((node, random) => {
    if (isMap(node) && node.items.length) node.items.splice(Math.floor(random() * node.items.length), 1);
  }),
  changeType: onNode((node, random) => {
    if (isScalar(node)) node.value = pick([42, true, null, 'text', -1, 1e9], random);
    else if (isSeq(node)) node.items = [];
  }),
  misspell: onNode((node, random) => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.length > 1) {
      const i = Math.floor(random() * node.value.length);
      node.value = node.value.slice(0, i) + node.value.slice(i + 1);
    }
  }),
  truncate: (text, random) => text.slice(0, Math.floor(random() * text.length)),
};

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map(removeProject)));
const files = (await readdir(join(VALID, 'specs'), { recursive: true })).filter((f) => f.endsWith('.yaml')).sort();
const codes = new Set(Object.values(catalog).map((e) => e.code));
let withDiagnostics = 0;

describe('randomly mutated spec trees', () => {
  it.each(Array.from({ length: 50 }, (_, i) => i + 1))('seed %i gives diagnostics, never a crash', async (seed) => {
    const random = prng(seed);
    const root = await tempProject();
    roots.push(root);
    for (let n = 0; n < 1 + Math.floor(random() * 3); n++) {
      const file = `specs/${pick(files, random)}`;
      const mutation = pick(Object.values(MUTATIONS), random);
      await writeSpec(root, file, mutation(await readSpec(root, file), random));
    }
    const result = await compileProject(root);
    if (result.diagnostics.length) withDiagnostics++;
    for (const d of result.diagnostics) {
      expect(codes.has(d.code)).toBe(true);
      const text = result.sources.get(d.file);
      expect(text, d.file).toBeDefined();
      expect(d.start).toBeGreaterThanOrEqual(0);
      expect(d.start).toBeLessThanOrEqual(text!.length);
    }
    expect(result.manifest === undefined).toBe(result.diagnostics.some((d) => d.category === 'error'));
  });

  it('mostly produced broken trees (the mutations bite)', () => expect(withDiagnostics).toBeGreaterThanOrEqual(30));
});

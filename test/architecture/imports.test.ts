/**
 * Imports run one way (ARCHITECTURE.md, "Layers"): compiler/ is the base and imports neither runtime/ nor infra/;
 * runtime/ imports the compiler but never infra/; infra/ imports the compiler and, in its one composition root (the CLI
 * dispatcher infra/cli/revops.ts, which loads every layer's subcommands), runtime/; nothing imports that root; inside
 * runtime/ a layer imports only its own layer and the layers below it (RUNTIME_LAYERS); and there is no import
 * circle anywhere. Type-only and dynamic imports count like any other.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, importsOf, readSources, repositoryRoot, type ImportEdge } from './importGraph.ts';

/**
 * runtime/'s layers, lowest first: a folder (or a file directly under runtime/) per entry, and a layer may import
 * only itself and the layers before it. Folders on one row do not import each other in a circle (the cycle check).
 */
const RUNTIME_LAYERS: readonly (readonly string[])[] = [
  ['once.ts', 'backoff.ts', 'config.ts', 'redact.ts', 'logging', 'metrics', 'net', 'aws', 'knowledge'],
  ['queue'],
  ['warehouse', 'sessions'],
  ['tools'],
  ['engines'],
  ['approvals'],
  ['processing'],
  ['exports', 'channels'],
  ['server'],
  ['wiring.ts'],
  ['lambda', 'doctor', 'cli'],
];

const LAYERED = ['compiler', 'runtime', 'infra'] as const;
/** The CLI dispatcher: infra is the top layer, so the one module that loads every layer's commands lives there. */
const COMPOSITION_ROOT = 'infra/cli/revops.ts';
const ROOT = repositoryRoot(import.meta.url);

const topFolder = (path: string): string => path.split('/')[0]!;
/** The RUNTIME_LAYERS row of a runtime/ path; undefined for a part no row names. */
function runtimeLayer(path: string): number | undefined {
  const part = path.split('/')[1]!;
  const row = RUNTIME_LAYERS.findIndex((names) => names.includes(part));
  return row < 0 ? undefined : row;
}

/** What is wrong with one edge, or undefined when it runs the right way. */
function violation({ from, to }: ImportEdge): string | undefined {
  const [source, target] = [topFolder(from), topFolder(to)];
  // Only its own launcher (revops.mjs, the executable) runs it.
  if (to === COMPOSITION_ROOT && from !== 'infra/cli/revops.mjs') return `nothing imports the composition root ${COMPOSITION_ROOT}`;
  if (from === COMPOSITION_ROOT) return undefined;
  if (source === 'compiler' && target !== 'compiler') return `compiler/ is the base layer and imports no ${target}/`;
  if (source === 'runtime' && target === 'infra') return 'runtime/ imports no infra/';
  if (source === 'infra' && target === 'runtime') return 'infra/ bundles runtime/ code by path and imports none of it';
  if (source === 'runtime' && target === 'runtime') {
    const [a, b] = [runtimeLayer(from), runtimeLayer(to)];
    if (a === undefined) return `${from} is in no RUNTIME_LAYERS row`;
    if (b === undefined) return `${to} is in no RUNTIME_LAYERS row`;
    if (b > a) return `runtime layer ${a} (${RUNTIME_LAYERS[a]!.join(', ')}) imports layer ${b} (${RUNTIME_LAYERS[b]!.join(', ')})`;
  }
  return undefined;
}

const render = (e: ImportEdge, why: string) => `${e.from}:${e.line} -> ${e.to}: ${why}`;

describe('the import graph', () => {
  const edges = importGraph(readSources(ROOT, LAYERED));

  it('reads the whole tree', () => {
    // A scan that found nothing would pass every rule below.
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual(expect.objectContaining({ from: 'infra/cli/revops.ts', to: 'infra/cli/plan.ts' }));
  });

  it('runs one way between and inside the layers', () => {
    const problems = edges.flatMap((e) => {
      const why = violation(e);
      return why ? [render(e, why)] : [];
    });
    expect(problems).toEqual([]);
  });

  it('has no import circle', () => {
    expect(findCycles(edges).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('imports only files that exist', () => {
    const files = new Set(readSources(ROOT, LAYERED).keys());
    // A specifier that resolves nowhere (a typo, a file moved) would drop its edge from every rule above.
    const outside = edges.filter((e) => !files.has(e.to) && !e.to.endsWith('.json')).map((e) => `${e.from}:${e.line} -> ${e.to}`);
    expect(outside).toEqual([]);
  });
});

describe('the rules on small graphs', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, line: 1 });

  it('reads static, type-only, re-exported and dynamic imports, and import types', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "export type * from './d.ts';",
      "const e = await import('./e.ts');",
      "type F = import('./f.ts').F;",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    expect(importsOf('runtime/x/y.ts', text)).toEqual([
      { specifier: './a.ts', line: 1 }, { specifier: '../b.ts', line: 2 }, { specifier: './c.ts', line: 3 },
      { specifier: './d.ts', line: 4 }, { specifier: './e.ts', line: 5 }, { specifier: './f.ts', line: 6 },
    ]);
    expect(importGraph(new Map([['runtime/x/y.ts', text]])).map((e) => e.to)).toContain('runtime/b.ts');
  });

  it('refuses each direction the layers forbid and allows the ones they permit', () => {
    expect(violation(edge('compiler/cli/graph.ts', 'runtime/cli/command.ts'))).toMatch(/compiler\/ is the base layer/);
    expect(violation(edge('compiler/check/sql.ts', 'infra/config.ts'))).toMatch(/compiler\/ is the base layer/);
    expect(violation(edge('runtime/cli/doctor.ts', 'infra/config.ts'))).toMatch(/runtime\/ imports no infra/);
    expect(violation(edge('infra/stack.ts', 'runtime/config.ts'))).toMatch(/infra\//);
    expect(violation(edge('runtime/queue/queue.ts', 'runtime/processing/inbound.ts'))).toMatch(/runtime layer 1 \(queue\) imports layer 6/);
    expect(violation(edge('runtime/tools/new.ts', 'infra/cli/revops.ts'))).toMatch(/composition root/);
    expect(violation(edge('runtime/nowhere/x.ts', 'runtime/once.ts'))).toMatch(/in no RUNTIME_LAYERS row/);
    expect(violation(edge('runtime/processing/processor.ts', 'runtime/queue/queue.ts'))).toBeUndefined();
    expect(violation(edge('runtime/channels/slack/ingress.ts', 'runtime/exports/index.ts'))).toBeUndefined();
    expect(violation(edge('infra/stack.ts', 'compiler/manifest.ts'))).toBeUndefined();
    expect(violation(edge('infra/cli/revops.ts', 'infra/cli/plan.ts'))).toBeUndefined();
    expect(violation(edge('infra/cli/revops.ts', 'runtime/cli/ask.ts'))).toBeUndefined();
    expect(violation(edge('infra/cli/plan.ts', 'runtime/cli/ask.ts'))).toMatch(/infra\//);
  });

  it('names the files of each circle in the order it runs', () => {
    const edges = [edge('c.ts', 'a.ts'), edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('b.ts', 'd.ts'), edge('e.ts', 'e.ts')];
    expect(findCycles(edges).map((cycle) => cycle.join(' -> ')).sort()).toEqual(['a.ts -> b.ts -> c.ts -> a.ts', 'e.ts -> e.ts']);
    expect(findCycles([edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts')])).toEqual([]);
  });
});

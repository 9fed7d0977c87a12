/**
 * The loader's edges beyond the golden fixtures: file names and sources that hold control characters, aliases the
 * check must let through, duplicate keys in a large mapping, files far over the size limit, the extension's case
 * and a byte-order mark.
 */
import { readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject, renderLine, renderText } from '../../compiler/index.ts';
import { codeFrame, printable } from '../../compiler/diagnostics/render.ts';
import { parseSpec } from '../../compiler/load/read.ts';
import { removeProject, tempProject, writeSpec } from './helpers.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map(removeProject)));
const project = async () => {
  const root = await tempProject();
  roots.push(root);
  return root;
};
const TOOL = '# yaml-language-server: $schema=../../compiler/schemas/tool.schema.json\n';

describe('control characters in what is printed', () => {
  it('keeps a diagnostic on one line when the file name holds a newline, a tab or an escape', async () => {
    const root = await project();
    const name = 'specs/tools/evil\nspecs/tools/x.yaml:1:1: error RV0000: forged\t\u001b[2J.yaml';
    await writeSpec(root, name, `${TOOL}name: evil\nkind: sql\n`);
    const result = await compileProject(root);
    const lines = result.diagnostics.filter((d) => d.file === name).map((d) => renderLine(d, result.sources));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toMatch(/[\n\t\u001b]/);
      expect(line.startsWith('specs/tools/evil\\nspecs/tools/x.yaml:1:1: error RV0000: forged\\t\\u001b[2J.yaml:')).toBe(true);
    }
    const text = renderText(result.diagnostics, result.sources, true);
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').filter((l) => l.includes('forged')).length).toBe(lines.length);
  });

  it('escapes control characters in a message and in the code frame, with squiggles under the escaped text', () => {
    const sources = new Map([['f.yaml', 'a: 1\nk: "\u001b[31m" bad\r\n']]);
    const d = { code: 'RV1', category: 'error' as const, message: "unknown 'a\nb'", file: 'f.yaml', start: 16, length: 3 };
    expect(renderLine(d, sources)).toBe("f.yaml:2:12: error RV1: unknown 'a\\nb'");
    expect(codeFrame(d, sources)).toBe(`2 | k: "\\u001b[31m" bad\n  | ${' '.repeat('k: "\\u001b[31m" '.length)}~~~`);
  });

  it('keeps tabs in a code frame, and aligns the squiggles under them', () => {
    const sources = new Map([['f.yaml', 'k:\tvalue\n']]);
    const d = { code: 'RV1', category: 'error' as const, message: 'm', file: 'f.yaml', start: 3, length: 5 };
    expect(codeFrame(d, sources)).toBe('1 | k:\tvalue\n  |   \t~~~~~');
  });

  it.each([
    ['line\u2028separator', 'line\\u2028separator'],
    ['right\u202eto-left', 'right\\u202eto-left'],
    ['del\u007f', 'del\\u007f'],
    ['plain ünïcode', 'plain ünïcode'],
  ])('printable(%j) is %j', (text, expected) => expect(printable(text)).toBe(expected));
});

describe('aliases', () => {
  const parse = (text: string) => parseSpec({ path: 'specs/tools/t.yaml', text: TOOL + text, kind: 'tool' });

  it('gives shared anchors their value', () => {
    const { file, diagnostics } = parse('name: t\na: &d { type: string }\nb: [*d, *d]\n');
    expect(diagnostics).toEqual([]);
    expect(file!.value.b).toEqual([{ type: 'string' }, { type: 'string' }]);
  });

  it('accepts what stays under the limit even where the library would count an anchor as repeated more often', () => {
    // 500 aliases of b, then a list holding one, repeated twice: 503 nodes repeated in all. The library's own
    // maxAliasCount of 1000 counts (aliases of a + 1) x (aliases of b + 1) and threw here.
    const text = `name: t\nb: &b x\nbs: [${Array(500).fill('*b').join(', ')}]\na: &a [*b]\nas: [*a, *a]\n`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(file!.value.as).toEqual([['x'], ['x']]);
  });

  it('reports an alias bomb nested a hundred levels deep once, at the alias that crosses the limit', () => {
    const levels = Array.from({ length: 100 }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}]`);
    const text = `name: t\nl0: &l0 x\n${levels.join('\n')}\n`;
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['RV1009']);
    // Level k repeats two copies of 2^k - 1 nodes: 494 nodes in all up to l7, 749 and then 1,004 in l8.
    const before = (TOOL + text).slice(0, diagnostics[0]!.start);
    expect(before.endsWith('l8: &l8 [*l7, ')).toBe(true);
  });
});

describe('duplicate keys', () => {
  it('finds the one repeated key among 10,000', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}: ${i}\n`).join('');
    const { diagnostics } = parseSpec({ path: 'specs/tools/t.yaml', text: `${TOOL}name: t\n${keys}k17: again\n`, kind: 'tool' });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['RV1001', 'YAML syntax error: Map keys must be unique']]);
  });

  it('tells a number key from the same digits as a string, as the YAML library does', () => {
    expect(parseSpec({ path: 'specs/tools/t.yaml', text: `${TOOL}name: t\nx: { 1: a, "1": b }\n`, kind: 'tool' }).diagnostics).toEqual([]);
  });
});

describe('files not read', () => {
  it('still lend their names: an agent behind a link is reported once, not again as unknown where it is used', async () => {
    const root = await project();
    await rename(join(root, 'specs/agents/data.yaml'), join(root, 'data.yaml'));
    await symlink(join(root, 'data.yaml'), join(root, 'specs/agents/data.yaml'));
    const result = await compileProject(root);
    expect(result.diagnostics.filter((d) => d.category === 'error').map((d) => [d.file, d.code]))
      .toEqual([['specs/agents/data.yaml', 'RV1007']]);
  });
});

describe('file names and encodings', () => {
  it('reads a spec named .YAML or .Yml as it reads .yaml', async () => {
    const root = await project();
    await rename(join(root, 'specs/tools/deal_calls.yaml'), join(root, 'specs/tools/deal_calls.YAML'));
    await writeSpec(root, 'specs/tools/Broken.Yml', `${TOOL}name: broken\nkind: sql\n`);
    const result = await compileProject(root);
    // deal_calls.YAML is read (no agent's reference to it is unknown), and so is Broken.Yml (its errors).
    expect(new Set(result.diagnostics.map((d) => `${d.file} ${d.code}`))).toEqual(new Set(['specs/tools/Broken.Yml RV2001']));
  });

  it('reads a file that starts with a UTF-8 byte-order mark as the same file without it', async () => {
    const root = await project();
    const path = join(root, 'specs/tools/deal_calls.yaml');
    await writeFile(path, `\uFEFF${await readFile(path, 'utf8')}`);
    const result = await compileProject(root);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('what YAML allows and a spec does not mean', () => {
  const tool = '# yaml-language-server: $schema=../../compiler/schemas/tool.schema.json\n';
  it('reports a tag the library does not know where it is, instead of reading its text as a plain value', () => {
    const text = `${tool}name: !custom deal_lookup\n`;
    const { diagnostics } = parseSpec({ path: 'specs/tools/x.yaml', text, kind: 'tool' });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['RV1001', expect.stringContaining('Unresolved tag: !custom')]]);
    expect(diagnostics[0]!.start).toBe(text.indexOf('!custom'));
  });

  it('reports a key that is a list or a mapping, and the library prints nothing of its own', () => {
    const warnings: unknown[] = [];
    const listen = (w: unknown) => warnings.push(w);
    process.on('warning', listen);
    try {
      const text = `${tool}name: x\n? [a, b]\n: 1\n`;
      const { diagnostics } = parseSpec({ path: 'specs/tools/x.yaml', text, kind: 'tool' });
      expect(diagnostics.map((d) => [d.code, d.start])).toEqual([['RV1001', text.indexOf('[a, b]')]]);
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).toEqual([]);
  });
});

describe('size', () => {
  it('reports a 13 MB spec without parsing it', async () => {
    const root = await project();
    await writeFile(join(root, 'specs/tools/huge.yaml'), `${TOOL}name: huge\n${'k: [1, 2, 3]\n'.repeat(1_000_000)}`);
    const result = await compileProject(root);
    expect(result.diagnostics.map((d) => [d.file, d.code])).toEqual([['specs/tools/huge.yaml', 'RV1008']]);
    expect(result.sources.has('specs/tools/huge.yaml')).toBe(false);
  });
});

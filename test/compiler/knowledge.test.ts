/** Knowledge documents in the manifest: the shared contract (ids, sources, bodies, hashes) and the hash moving with content. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.ts';
import { compileVariant } from './helpers.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const DOC = `---
title: Glossary
agents: [data]
tags: [terms]
---
# Glossary

## ARR
Annual recurring revenue.
`;

describe('knowledge in the manifest', () => {
  it('holds the shipped documents sorted by id, bodies without front matter, each hashed', async () => {
    const { manifest } = await compileProject(REPO);
    const docs = manifest!.knowledge.documents;
    expect(docs.map((d) => d.id)).toEqual([...docs.map((d) => d.id)].sort());
    expect(docs.map((d) => d.id)).toEqual(expect.arrayContaining(['opportunity-stages', 'ideal-customer-profile', 'meddpicc', 'warehouse-schema', 'churn-risk', 'forecast-categories', 'pipeline-definitions']));
    for (const d of docs) {
      expect(d.source).toBe(`specs/knowledge/${d.id}.md`);
      const file = await readFile(`${REPO}${d.source}`, 'utf8');
      expect(file.endsWith(d.text)).toBe(true);
      expect(d.text).not.toMatch(/^---/);
      expect(d.hash).toBe(sha256(d.text));
      expect(d.title.length).toBeGreaterThan(0);
    }
    expect(docs.find((d) => d.id === 'opportunity-stages')).toMatchObject({ agents: ['data', 'deal_analysis', 'manager'], tags: expect.arrayContaining(['stages']) });
    expect(manifest!.knowledge.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the knowledge hash and the manifest hash when a document changes', async () => {
    const withTool = { 'specs/agents/data.yaml': [['tools: [firebolt_sql_query]', 'tools: [firebolt_sql_query, knowledge_search]']] as Array<[string, string]> };
    const tool = `# yaml-language-server: $schema=../../compiler/schemas/tool.schema.json
name: knowledge_search
kind: knowledge
description: Look up definitions.
parameters:
  query: { type: string, required: true, description: What to look up., resolve: { text: true } }
`;
    const one = await compileVariant(withTool, { 'specs/tools/knowledge_search.yaml': tool, 'specs/knowledge/glossary.md': DOC });
    const two = await compileVariant(withTool, { 'specs/tools/knowledge_search.yaml': tool, 'specs/knowledge/glossary.md': DOC.replace('Annual', 'Yearly') });
    expect(one.diagnostics).toEqual([]);
    expect(one.manifest!.knowledge.documents).toEqual([expect.objectContaining({ id: 'glossary', title: 'Glossary', agents: ['data'], text: '# Glossary\n\n## ARR\nAnnual recurring revenue.\n' })]);
    expect(two.manifest!.knowledge.hash).not.toBe(one.manifest!.knowledge.hash);
    expect(two.manifest!.hash).not.toBe(one.manifest!.hash);
    expect(one.manifest!.tools.find((t) => t.name === 'knowledge_search')).toMatchObject({ kind: 'knowledge', group: 'knowledge' });
  });
});

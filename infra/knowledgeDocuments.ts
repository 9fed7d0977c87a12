/**
 * The manifest's knowledge documents as infra reads them: which agents use the knowledge base, and the objects the
 * program writes to the data source bucket (one Markdown file per document and its Bedrock metadata sidecar,
 * `<key>.metadata.json`, whose attributes come back with every retrieved passage).
 */
import type { Manifest, ManifestAgent, ManifestKnowledge } from '../compiler/manifest.ts';

export type { ManifestKnowledge } from '../compiler/manifest.ts';

export const knowledgeOf = (manifest: Manifest): ManifestKnowledge => manifest.knowledge;

/** An agent uses the knowledge base when its spec asks for one or a knowledge document names it. */
export const usesKnowledgeBase = (manifest: Manifest, agent: ManifestAgent): boolean =>
  Boolean(agent.knowledgeBase) || knowledgeOf(manifest).documents.some((d) => d.agents.includes(agent.name));

/** Where the data source reads documents from in its bucket. */
export const DOCUMENT_PREFIX = 'documents/';

export interface KnowledgeObject {
  key: string;
  content: string;
  contentType: string;
}

/** Each document's Markdown and its metadata sidecar. */
export function knowledgeObjects(knowledge: ManifestKnowledge): KnowledgeObject[] {
  return knowledge.documents.flatMap((d) => {
    const key = `${DOCUMENT_PREFIX}${d.id}.md`;
    const metadata = { metadataAttributes: { id: d.id, title: d.title, source: d.source, agents: d.agents, tags: d.tags } };
    return [
      { key, content: d.text, contentType: 'text/markdown; charset=utf-8' },
      { key: `${key}.metadata.json`, content: JSON.stringify(metadata), contentType: 'application/json' },
    ];
  });
}

/**
 * True when a tool of kind `knowledge` (knowledge_search) is in the manifest: the function that runs tools then
 * searches the knowledge base. Compared as a string until compiler/manifest.ts's ToolKind has the kind.
 */
export const runsKnowledgeTools = (manifest: Manifest): boolean =>
  manifest.tools.some((t) => t.kind === 'knowledge');

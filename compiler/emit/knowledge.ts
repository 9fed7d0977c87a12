/** Knowledge documents -> the manifest's `knowledge`: sorted by id, each with the hash of its text, and one hash over all. */
import type { KnowledgeFile } from '../load/knowledge.ts';
import type { ManifestKnowledge, ManifestKnowledgeDocument } from '../manifest.ts';
import { sha256, toJson } from './serialize.ts';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

export function emitKnowledge(files: readonly KnowledgeFile[]): ManifestKnowledge {
  const documents: ManifestKnowledgeDocument[] = files
    .map((f) => {
      const text = f.body.replace(/^\s*\n/u, '');
      return {
        id: f.id, title: String(f.value.title).trim(), agents: strings(f.value.agents).sort(), tags: strings(f.value.tags),
        source: f.path, text, hash: sha256(text),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { documents, hash: sha256(toJson(documents)) };
}

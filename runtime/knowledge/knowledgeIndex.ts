/**
 * Full-text retrieval over the manifest's knowledge documents (MiniSearch: BM25 ranking, prefix and fuzzy
 * matching). A document is split into passages at its `##`/`###` headings, so an answer quotes the section that
 * defines a term ("Negotiate") rather than the whole stage guide; each passage names its document and source
 * file. Built once per manifest (a few milliseconds for the shipped documents).
 */
import MiniSearch from 'minisearch';
import type { ManifestKnowledge, ManifestKnowledgeDocument } from '../../compiler/manifest.ts';

export interface Passage {
  id: string;
  /** Document id (file stem). */
  document: string;
  title: string;
  /** The heading the passage sits under; the document title for its opening text. */
  section: string;
  /** specs/knowledge/<id>.md */
  source: string;
  text: string;
  tags: string;
}

export interface Hit extends Omit<Passage, 'id' | 'tags'> {
  score: number;
}

export interface KnowledgeIndex {
  search(query: string, options?: { limit?: number; agent?: string }): Hit[];
  readonly passages: number;
}

const HEADING = /^#{2,3}\s+(.+?)\s*#*\s*$/u;
/** Spec links (`[ICP score](tool:icp_score)`) read as their text: passages are quoted to people and models. */
const SPEC_LINK = /\[([^\]]*)\]\((?:tool|agent|metric|knowledge):[^)\s]*\)/gu;

export function passagesOf(doc: ManifestKnowledgeDocument): Passage[] {
  const passages: Passage[] = [];
  let section = doc.title;
  let lines: string[] = [];
  const flush = (): void => {
    const text = lines.join('\n').replace(SPEC_LINK, '$1').trim();
    if (text) passages.push({ id: `${doc.id}#${passages.length}`, document: doc.id, title: doc.title, section, source: doc.source, text, tags: doc.tags.join(' ') });
    lines = [];
  };
  for (const line of doc.text.split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      section = heading[1]!;
    } else if (!/^#\s/u.test(line)) {
      lines.push(line);
    }
  }
  flush();
  return passages;
}

// Words that carry no meaning for retrieval ("what does … mean", "how is … scored").
const STOP = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'do', 'does', 'for', 'how', 'in', 'is', 'it', 'its', 'me',
  'mean', 'means', 'of', 'on', 'or', 'our', 'the', 'this', 'to', 'we', 'what', 'whats', 'which', 'who', 'why', 'with', 'you', 'tell', 'explain', 'define']);

function build(knowledge: ManifestKnowledge): KnowledgeIndex {
  const passages = knowledge.documents.flatMap(passagesOf);
  const agentsOf = new Map(knowledge.documents.map((d) => [d.id, new Set(d.agents)]));
  const index = new MiniSearch<Passage>({
    fields: ['section', 'title', 'text', 'tags'],
    storeFields: ['document', 'title', 'section', 'source', 'text'],
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOP.has(t) ? null : t;
    },
    searchOptions: { boost: { section: 3, title: 1.5, tags: 1.5 }, prefix: (term) => term.length > 3, fuzzy: (term) => (term.length > 5 ? 0.2 : false) },
  });
  index.addAll(passages);
  return {
    passages: passages.length,
    search(query, options = {}) {
      const agent = options.agent;
      const results = index.search(query, agent ? { filter: (r) => agentsOf.get(String(r.document))?.has(agent) ?? false } : {});
      return results.slice(0, options.limit ?? 3).map((r) => ({
        document: String(r.document), title: String(r.title), section: String(r.section), source: String(r.source), text: String(r.text),
        score: Number(r.score.toFixed(3)),
      }));
    },
  };
}

const built = new WeakMap<ManifestKnowledge, KnowledgeIndex>();

export function knowledgeIndex(knowledge: ManifestKnowledge): KnowledgeIndex {
  let index = built.get(knowledge);
  if (!index) built.set(knowledge, (index = build(knowledge)));
  return index;
}

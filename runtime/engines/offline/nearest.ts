/**
 * Nearest labelled text by TF-IDF cosine (a word weighs by its rarity among texts and among labels): routing (label = collaborator, texts = its routing examples and its
 * description) and skill choice (label = skill, texts = its examples). A label scores its best example plus a
 * smaller share of its second best and its description, so one stray example does not decide alone. Built from
 * pre-analysed terms; cheap enough to rebuild per left-out example in `revops eval`.
 */

export interface LabelledTerms {
  label: string;
  terms: string[];
  /** Descriptions count less than examples: they describe, examples are what users type. */
  kind: 'example' | 'description';
}

export interface Ranked {
  label: string;
  score: number;
}

type Vector = Map<string, number>;

const WEIGHTS = { best: 0.6, second: 0.25, description: 0.15 };

export class NearestIndex {
  private readonly idf = new Map<string, number>();
  private readonly unknownWeight: number;
  private readonly docs: Array<LabelledTerms & { vector: Vector }>;
  readonly labels: string[];

  constructor(docs: LabelledTerms[]) {
    const df = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    // A word's weight is the geometric mean of how rare it is among the texts and among the labels: "revenue", in
    // a handful of one collaborator's examples, says more than "look", in as many texts spread over two.
    const labelsOf = new Map<string, Set<string>>();
    for (const d of docs) for (const t of d.terms) (labelsOf.get(t) ?? labelsOf.set(t, new Set()).get(t)!).add(d.label);
    const labelCount = new Set(docs.map((d) => d.label)).size;
    for (const [t, n] of df) this.idf.set(t, Math.sqrt(Math.log(1 + docs.length / n) * Math.log(1 + labelCount / labelsOf.get(t)!.size)));
    this.unknownWeight = Math.sqrt(Math.log(1 + Math.max(1, docs.length)) * Math.log(1 + Math.max(1, labelCount)));
    this.docs = docs.map((d) => ({ ...d, vector: this.vector(d.terms) }));
    this.labels = [...new Set(docs.map((d) => d.label))];
  }

  /**
   * Words no document has still count in the length of a question's vector (weighted as the rarest known word):
   * "what is the airspeed of a swallow" must not look like "what is the status" because only "what" is known.
   */
  private vector(terms: string[]): Vector {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    let norm = 0;
    for (const [t, n] of tf) {
      const w = (1 + Math.log(n)) * (this.idf.get(t) ?? this.unknownWeight);
      if (this.idf.has(t)) v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  }

  /** Terms of `terms` that some document of `label` contains. */
  shared(terms: string[], label: string): string[] {
    return [...new Set(terms)].filter((t) => this.docs.some((d) => d.label === label && d.vector.has(t)));
  }

  /** Labels by score, best first; scores are 0..1. */
  rank(terms: string[]): Ranked[] {
    const q = this.vector(terms);
    const per = new Map<string, { examples: number[]; description: number }>();
    for (const label of this.labels) per.set(label, { examples: [], description: 0 });
    for (const d of this.docs) {
      let dot = 0;
      for (const [t, w] of q) dot += w * (d.vector.get(t) ?? 0);
      const entry = per.get(d.label)!;
      if (d.kind === 'example') entry.examples.push(dot);
      else entry.description = Math.max(entry.description, dot);
    }
    return [...per].map(([label, { examples, description }]) => {
      const [best = 0, second = 0] = examples.sort((a, b) => b - a);
      return { label, score: WEIGHTS.best * best + WEIGHTS.second * second + WEIGHTS.description * description };
    }).sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
  }
}

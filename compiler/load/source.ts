/** The spec files of a project: their kind (given by the folder), text, and parsed YAML document. */
import type { Document } from 'yaml';

export const SPEC_KINDS = ['agent', 'tool', 'routes', 'channel', 'eval', 'warehouse', 'metrics'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

/** specs/<folder>/ for each kind. */
export const KIND_FOLDERS: Record<SpecKind, string> = {
  agent: 'agents',
  tool: 'tools',
  routes: 'routes',
  channel: 'channels',
  eval: 'evals',
  warehouse: 'warehouse',
  metrics: 'metrics',
};

/** "specs/agents, specs/tools … or specs/metrics", for messages. */
export const KIND_FOLDER_LIST = ((folders) => `${folders.slice(0, -1).join(', ')} or ${folders.at(-1)}`)(SPEC_KINDS.map((k) => `specs/${KIND_FOLDERS[k]}`));

/** A spec file's name: `.yaml` or `.yml`, in any case (`Deal.YAML` is as much a spec as `deal.yaml`). */
export const SPEC_FILE = /\.ya?ml$/i;

/** The name a spec file gives, without its extension. */
export const specFileName = (path: string): string => (path.split('/').at(-1) ?? path).replace(SPEC_FILE, '');

export const kindOfFolder = (folder: string): SpecKind | undefined =>
  SPEC_KINDS.find((kind) => KIND_FOLDERS[kind] === folder);

export interface SourceFile {
  /** Relative to the project root, forward slashes. */
  path: string;
  text: string;
  kind: SpecKind;
}

/** A file whose YAML parsed into one mapping; `value` is its plain-JS form. */
export interface ParsedFile extends SourceFile {
  doc: Document.Parsed;
  value: Record<string, unknown>;
}

export const schemaLine = (kind: SpecKind): string =>
  `# yaml-language-server: $schema=../../compiler/schemas/${kind}.schema.json`;

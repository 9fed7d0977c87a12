/** Reads back local conversation exports, newest first (for `revops conversations`). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationMetadata } from './exporter.ts';

export interface ListedConversation {
  folder: string;
  metadata: ConversationMetadata;
}

export async function listConversations(root: string, last: number): Promise<ListedConversation[]> {
  const found: ListedConversation[] = [];
  const children = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name).sort().reverse();
  // Folder names sort by time (YYYY/MM/DD/<ISO stamp>-<id>), so walking newest-first can stop after `last`.
  for (const year of await children(root)) {
    for (const month of await children(join(root, year))) {
      for (const day of await children(join(root, year, month))) {
        for (const name of await children(join(root, year, month, day))) {
          const folder = join(root, year, month, day, name);
          try {
            found.push({ folder, metadata: JSON.parse(await readFile(join(folder, 'metadata.json'), 'utf8')) as ConversationMetadata });
          } catch {
            continue; // an export being written or damaged by hand: skip it
          }
          if (found.length >= last) return found;
        }
      }
    }
  }
  return found;
}

/**
 * Conversation exports on local disk (`<dataDir>/conversations/`). Each folder is written complete and then renamed
 * into place, so a reader never sees half an export; an existing folder is never replaced (a second export with the
 * same name gets a numbered sibling).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExportSink } from './layout.ts';

export function createLocalExportSink(root: string): ExportSink {
  return {
    async write(folder, files) {
      const target = join(root, folder);
      await mkdir(dirname(target), { recursive: true });
      const staging = await mkdtemp(join(dirname(target), '.staging-'));
      try {
        for (const [name, text] of Object.entries(files)) await writeFile(join(staging, name), text, { flag: 'wx' });
        for (let n = 1; ; n += 1) {
          const candidate = n === 1 ? target : `${target}-${n}`;
          try {
            // rename onto an existing non-empty directory fails (ENOTEMPTY/EEXIST), so nothing is overwritten
            await rename(staging, candidate);
            return candidate;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code !== 'ENOTEMPTY' && code !== 'EEXIST' || n >= 100) throw error;
          }
        }
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
    },
  };
}

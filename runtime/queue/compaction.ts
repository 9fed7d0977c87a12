/**
 * When a journal is rewritten with only what its store still keeps: once it is at least `compactAfterBytes` and at
 * least twice what the last rewrite left. A fixed threshold alone rewrote the whole file after every append once
 * the kept records outgrew it (issue 16: 40,000 webhook requests within their status retention made every status
 * write a 16 MiB rewrite, and the bench's server stopped answering). One rewrite at a time: appends made while it
 * runs do not start another. The caller that started it gets its outcome.
 */
import type { Journal } from './journal.ts';

export function createCompaction(journal: Journal, compactAfterBytes: number, snapshot: () => unknown[]): () => Promise<void> {
  let compactAt = compactAfterBytes;
  let compacting = false;
  return async function maybeCompact() {
    if (compacting || journal.bytes < compactAt) return;
    compacting = true;
    try {
      await journal.rewrite(snapshot());
      compactAt = Math.max(compactAfterBytes, 2 * journal.bytes);
    } finally {
      compacting = false;
    }
  };
}

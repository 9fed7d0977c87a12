/**
 * Where a conversation's files go: `YYYY/MM/DD/<timestamp>-<conversation id>/` (UTC), the seed's layout with the id
 * added, because the seed's second-resolution folder names let two conversations in the same second overwrite each
 * other.
 */

export function conversationFolder(finishedAt: Date, conversationId: string): string {
  const iso = finishedAt.toISOString(); // 2025-08-16T16:30:25.123Z
  const [date = ''] = iso.split('T');
  const [year, month, day] = date.split('-');
  const stamp = iso.slice(0, 19).replace(/:/g, '-');
  const safeId = conversationId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return `${year}/${month}/${day}/${stamp}-${safeId}`;
}

export interface ExportSink {
  /** Writes the files of one conversation under `folder`; never replaces an existing export. Returns where they went. */
  write(folder: string, files: Record<string, string>): Promise<string>;
}

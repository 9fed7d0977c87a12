/**
 * Markdown (what the agents write) to Slack mrkdwn, via `slackify-markdown` for the inline and block syntax
 * (**bold** -> *bold*, [t](u) -> <u|t>, headings -> bold lines, lists -> bullets), plus two things it lacks:
 * - GFM tables become fixed-width code blocks (Slack has no tables in mrkdwn);
 * - raw `<…>` in the text is escaped first, so an answer can never smuggle in a `<!channel>` ping or a disguised
 *   link (slackify passes inline HTML through untouched); autolinks `<https://…>` stay links.
 */
import slackify from 'slackify-markdown';

const FENCE = /^\s*(```|~~~)/;
const SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => plainCell(c.trim()));

/** Inline Markdown inside a code block would show literally, so cells keep only their text (links keep the URL). */
const plainCell = (cell: string): string =>
  cell
    .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\\\|/g, '|');

function renderTable(rows: string[][]): string[] {
  const width = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: width }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => widths.map((w, i) => (r[i] ?? '').padEnd(w)).join('  ').trimEnd();
  const [head, ...body] = rows;
  return ['```', line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '```'];
}

/** Replaces each GFM table (header row, separator row, body rows) outside code fences with an aligned code block. */
export function tablesToCodeBlocks(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) inFence = !inFence;
    const next = lines[i + 1];
    if (inFence || !line.includes('|') || next === undefined || !SEPARATOR.test(next)) {
      out.push(line);
      continue;
    }
    const rows = [cells(line)];
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').includes('|') && (lines[j] ?? '').trim() !== ''; j++) rows.push(cells(lines[j] ?? ''));
    out.push(...renderTable(rows));
    i = j - 1;
  }
  return out.join('\n');
}

/** Escapes `<` outside code (spans and fences) unless it opens an autolink; Markdown decodes `&lt;` back to text. */
export function escapeRawAngles(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (FENCE.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      return line
        .split(/(`[^`]*`)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replace(/<(?!(?:https?:\/\/|mailto:)[^\s<>]*>)/g, '&lt;')))
        .join('');
    })
    .join('\n');
}

export function toMrkdwn(markdown: string): string {
  return slackify(escapeRawAngles(tablesToCodeBlocks(markdown))).trim();
}

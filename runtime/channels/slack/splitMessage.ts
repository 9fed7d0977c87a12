/**
 * Splits a long mrkdwn answer into Slack messages without losing or silently truncating anything. Limits
 * (api.slack.com/reference/block-kit/blocks#section, /methods/chat.postMessage#truncating):
 * section block text <= 3,000 characters, <= 50 blocks per message, message `text` <= 40,000 characters.
 * Cuts fall, in order of preference, between paragraphs, between lines, between words — never inside a `<url|link>`
 * or an inline code span, and a code block cut in two is closed and reopened so both halves render as code. Only a
 * single "word" longer than a whole block (no space to cut at) is cut mid-word, since nothing else can fit.
 */
export const SECTION_TEXT_LIMIT = 3_000;
export const BLOCKS_PER_MESSAGE = 50;
export const MESSAGE_TEXT_LIMIT = 40_000;

const FENCE = /^\s*(```|~~~)/;

/** Paragraphs (blank-line separated), with each fenced code block kept as one unit. */
function units(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inFence = false;
  const flush = () => {
    if (current.length) out.push(current.join('\n'));
    current = [];
  };
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) {
      if (!inFence) flush();
      inFence = !inFence;
      current.push(line);
      if (!inFence) flush();
    } else if (!inFence && line.trim() === '') flush();
    else current.push(line);
  }
  flush();
  return out;
}

/** Index ranges a cut must not fall inside: `<…>` links/mentions and `…` code spans. */
function protectedRanges(line: string): Array<[number, number]> {
  return [...line.matchAll(/<[^<>]*>|`[^`]*`/g)].map((m) => [m.index, m.index + m[0].length]);
}

function cutLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const guarded = protectedRanges(rest);
    let cut = -1;
    for (let i = max; i > 0 && cut < 0; i--) {
      if (/\s/.test(rest[i] ?? '') && !guarded.some(([a, b]) => i > a && i < b)) cut = i;
    }
    if (cut < 0) for (let i = max; i > 0 && cut < 0; i--) if (/\s/.test(rest[i] ?? '')) cut = i;
    if (cut < 0) {
      pieces.push(rest.slice(0, max));
      rest = rest.slice(max);
    } else {
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
  }
  pieces.push(rest);
  return pieces;
}

/** Greedy packing of parts joined by `sep`, each chunk at most `max` characters. */
function pack(parts: string[], sep: string, max: number): string[] {
  const chunks: string[] = [];
  let current: string | undefined;
  for (const part of parts) {
    if (current !== undefined && current.length + sep.length + part.length <= max) current += sep + part;
    else {
      if (current !== undefined) chunks.push(current);
      current = part;
    }
  }
  if (current !== undefined) chunks.push(current);
  return chunks;
}

function splitUnit(unit: string, max: number): string[] {
  if (unit.length <= max) return [unit];
  const lines = unit.split('\n');
  const fence = FENCE.exec(lines[0] ?? '') ? lines[0] : undefined;
  if (fence !== undefined) {
    const close = FENCE.test(lines.at(-1) ?? '') && lines.length > 1 ? lines.at(-1) ?? '```' : '```';
    const inner = lines.slice(1, FENCE.test(lines.at(-1) ?? '') && lines.length > 1 ? -1 : undefined);
    const room = max - fence.length - close.length - 2;
    return pack(inner.flatMap((l) => cutLine(l, room)), '\n', room).map((body) => `${fence}\n${body}\n${close}`);
  }
  return pack(lines.flatMap((l) => cutLine(l, max)), '\n', max);
}

/** Pieces of at most `max` characters, in order, that together hold all of `text`. */
export function splitMrkdwn(text: string, max = SECTION_TEXT_LIMIT): string[] {
  return pack(units(text).flatMap((u) => splitUnit(u, max)), '\n\n', max);
}

export interface SlackMessagePart {
  /** Notification / fallback text: the message's pieces joined. */
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

/** Groups pieces into messages of at most 50 section blocks and 40,000 characters of text, in order. */
export function slackMessages(mrkdwn: string): SlackMessagePart[] {
  const messages: SlackMessagePart[] = [];
  let pieces: string[] = [];
  const flush = () => {
    if (!pieces.length) return;
    messages.push({
      text: pieces.join('\n\n'),
      blocks: pieces.map((p) => ({ type: 'section', text: { type: 'mrkdwn', text: p } })),
    });
    pieces = [];
  };
  // Slack refuses a section whose text is empty or blank.
  for (const piece of splitMrkdwn(mrkdwn).filter((p) => p.trim() !== '')) {
    const length = pieces.reduce((n, p) => n + p.length + 2, 0) + piece.length;
    if (pieces.length >= BLOCKS_PER_MESSAGE || length > MESSAGE_TEXT_LIMIT) flush();
    pieces.push(piece);
  }
  flush();
  return messages;
}

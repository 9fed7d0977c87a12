import { describe, expect, it } from 'vitest';
import {
  BLOCKS_PER_MESSAGE,
  MESSAGE_TEXT_LIMIT,
  SECTION_TEXT_LIMIT,
  slackMessages,
  splitMrkdwn,
} from '../../../../runtime/channels/slack/splitMessage.ts';

/** Everything but whitespace and the fences a split adds: what must survive splitting. */
const content = (s: string) => s.replace(/```/g, '').replace(/\s+/g, '');

const paragraph = (i: number) => `Paragraph ${i}: ${'word '.repeat(60)}with <https://example.com/${i}|link ${i} label> end.`;

describe('splitting long answers', () => {
  it('keeps a short answer as one piece', () => {
    expect(splitMrkdwn('*Deal* is fine')).toEqual(['*Deal* is fine']);
  });

  it.each([SECTION_TEXT_LIMIT, SECTION_TEXT_LIMIT + 1])('a single line of %i characters', (n) => {
    const line = 'x'.repeat(n - 10) + ' tail12345';
    const pieces = splitMrkdwn(line);
    expect(pieces.length).toBe(n > SECTION_TEXT_LIMIT ? 2 : 1);
    expect(content(pieces.join(''))).toBe(content(line));
  });

  it('splits many paragraphs at paragraph boundaries, nothing lost, in order', () => {
    const text = Array.from({ length: 120 }, (_, i) => paragraph(i)).join('\n\n');
    const pieces = splitMrkdwn(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
      expect(p.startsWith('Paragraph ')).toBe(true);
      expect(p.endsWith('end.')).toBe(true);
    }
    expect(content(pieces.join('\n\n'))).toBe(content(text));
  });

  it('never cuts inside a link or mid-word in a long line', () => {
    const line = Array.from({ length: 200 }, (_, i) => `w${i} <https://example.com/${i}|a label with spaces ${i}>`).join(' ');
    const pieces = splitMrkdwn(line);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.split('<').length).toBe(p.split('>').length);
    const words = (s: string) => s.match(/\bw\d+\b|<[^>]*>/g) ?? [];
    expect(pieces.flatMap(words)).toEqual(words(line));
    expect(content(pieces.join(' '))).toBe(content(line));
  });

  it('closes and reopens a code block it has to cut', () => {
    const code = ['```', ...Array.from({ length: 400 }, (_, i) => `row ${i} | value ${i * 7}`), '```'].join('\n');
    const pieces = splitMrkdwn(`Intro\n\n${code}\n\nOutro`);
    const codePieces = pieces.filter((p) => p.includes('row '));
    expect(codePieces.length).toBeGreaterThan(1);
    for (const p of codePieces) expect((p.match(/```/g) ?? []).length % 2).toBe(0);
    expect(content(pieces.join('\n'))).toBe(content(`Intro ${code} Outro`));
  });

  it('groups pieces into messages within the block and text limits', () => {
    const text = Array.from({ length: 1_500 }, (_, i) => paragraph(i)).join('\n\n');
    const messages = slackMessages(text);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(BLOCKS_PER_MESSAGE);
      expect(m.text.length).toBeLessThanOrEqual(MESSAGE_TEXT_LIMIT);
      for (const b of m.blocks) expect(b.text.text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    }
    expect(content(messages.map((m) => m.blocks.map((b) => b.text.text).join('')).join(''))).toBe(content(text));
  });
});

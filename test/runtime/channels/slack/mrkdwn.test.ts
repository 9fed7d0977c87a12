import { describe, expect, it } from 'vitest';
import { escapeRawAngles, tablesToCodeBlocks, toMrkdwn } from '../../../../runtime/channels/slack/mrkdwn.ts';

/** slackify-markdown wraps emphasis in zero-width spaces so Slack renders it mid-word; compare without them. */
const visible = (s: string) => s.replace(/\u200b/g, '');

describe('Markdown to Slack mrkdwn', () => {
  it.each([
    ['bold', '**Deal Status: IXIS**', '*Deal Status: IXIS*'],
    ['italic', 'it is *likely*', 'it is _likely_'],
    ['strike', '~~old~~', '~old~'],
    ['link', 'see [the deal](https://crm.example.com/opp/1)', 'see <https://crm.example.com/opp/1|the deal>'],
    ['heading', '## Risks', '*Risks*'],
    ['bullet list', '- Stage: Negotiate\n- Size: $2.1M', '•   Stage: Negotiate\n•   Size: $2.1M'],
    ['numbered list', '1. first\n2. second', '1.  first\n2.  second'],
    ['inline code', 'run `deal_lookup`', 'run `deal_lookup`'],
    ['ampersand escaped', 'R&D', 'R&amp;D'],
    ['angle brackets escaped', 'pipeline > $1M and < $2M', 'pipeline &gt; $1M and &lt; $2M'],
    ['autolink kept', '<https://example.com/x>', '<https://example.com/x|https://example.com/x>'],
  ])('%s', (_name, markdown, expected) => {
    expect(visible(toMrkdwn(markdown))).toBe(expected);
  });

  // Slack reads `<…>` as a link, mention or broadcast; with every `<` escaped none can form.
  it.each([
    ['a broadcast ping', 'hey <!channel> look', '!channel'],
    ['raw HTML', '<script>x</script>', 'script'],
    ['a disguised link', '<http://evil.test|bank>', 'http://evil.test'],
  ])('neutralises %s', (_name, markdown, kept) => {
    const out = toMrkdwn(markdown);
    expect(out).not.toContain('<');
    expect(out).toContain(kept);
  });

  it('renders a table as an aligned code block', () => {
    const md = '| deal | amount |\n| --- | ---: |\n| IXIS | $2.1M |\n| **Acme** | [300k](https://x.test) |';
    expect(toMrkdwn(md)).toBe(
      ['```', 'deal  amount', '----  ---------------------', 'IXIS  $2.1M', 'Acme  300k (https://x.test)', '```'].join('\n'),
    );
  });

  it('leaves tables inside code fences and raw angles inside code alone', () => {
    const md = '```\n| a | b |\n| --- | --- |\n<x>\n```';
    expect(tablesToCodeBlocks(md)).toBe(md);
    expect(escapeRawAngles(md)).toBe(md);
    expect(escapeRawAngles('use `a<b` here')).toBe('use `a<b` here');
  });
});

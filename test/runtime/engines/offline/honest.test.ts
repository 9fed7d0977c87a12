import { describe, expect, it } from 'vitest';
import type { ToolKind } from '../../../../compiler/manifest.ts';
import { gapOf, notChecked, nothingChecked } from '../../../../runtime/engines/offline/honest.ts';
import type { ToolErrorCode } from '../../../../runtime/tools/toolbox.ts';

const KINDS: ToolKind[] = ['sql', 'sql_query', 'sql_write', 'gong', 'web_search', 'webhook'];
const CODES: ToolErrorCode[] = ['unknown_tool', 'invalid_parameter', 'refused', 'not_configured', 'timeout', 'upstream', 'execution'];

describe('a failed step in plain words', () => {
  it.each(KINDS)('every error code of a %s tool has a reason without codes or identifiers', (kind) => {
    for (const code of CODES) {
      const gap = gapOf({ name: 'internal_tool_name', kind, task: 'read the call notes' }, code);
      expect(gap.reason, code).not.toMatch(/_|\b(sql|error|exception)\b/iu);
      expect(gap.reason.length, code).toBeGreaterThan(10);
    }
  });

  it('names the service and what could not be done', () => {
    const gong = gapOf({ name: 'gong_retrieval', kind: 'gong', task: 'read the call notes' }, 'not_configured');
    expect(nothingChecked([gong])).toBe("I couldn't read the call notes: the calls service is not configured. I haven't filled the gap with a guess.");
    const hook = gapOf({ name: 'webhook_executor', kind: 'webhook', task: 'send the notification' }, 'refused');
    expect(notChecked([gong, hook])).toBe([
      '**Incomplete answer:** these parts failed, which is not the same as finding nothing',
      "- I couldn't read the call notes: the calls service is not configured.",
      "- I couldn't send the notification: the destination is not on the allowed list.",
    ].join('\n'));
  });
});

import { describe, expect, it } from 'vitest';
import { sessionKey, type SessionOwner } from '../../../runtime/processing/sessionKey.ts';
import { toBedrockSessionId } from '../../../runtime/engines/bedrockAgents/sessionId.ts';

const BEDROCK = /^[0-9a-zA-Z._:-]{2,100}$/u;
const owners: Record<string, SessionOwner> = {
  slack: { kind: 'slack', scope: ['T0001', 'CPRIVATE'] },
  'slack, other workspace': { kind: 'slack', scope: ['T0002', 'CPRIVATE'] },
  'key A': { kind: 'webhook', scope: ['webhook', 'key-0123456789abcdef'] },
  'key B': { kind: 'webhook', scope: ['webhook', 'key-fedcba9876543210'] },
  signer: { kind: 'webhook', scope: ['webhook', 'signer-00112233aabbccdd'] },
  anonymous: { kind: 'webhook', scope: ['webhook', 'anonymous'] },
  'key A on another webhook channel': { kind: 'webhook', scope: ['partners', 'key-0123456789abcdef'] },
};
// Raw ids a caller might send: a Slack thread's own id, one that looks like another key, the longest allowed.
const rawIds = ['1666000000.000100', 'CPRIVATE:1666000000.000100', 'webhook:key-fedcba9876543210:x', 'T0001:CPRIVATE:1', 'z'.repeat(100)];

describe('session keys', () => {
  it('namespaces a Slack thread by workspace and channel, a webhook session by channel and caller', () => {
    expect(sessionKey(owners.slack!, '1666000000.000100')).toBe('slack:T0001:CPRIVATE:1666000000.000100');
    expect(sessionKey(owners['key A']!, 'thread-1')).toBe('webhook:webhook:key-0123456789abcdef:thread-1');
  });

  it('gives every owner its own keys, whatever raw ids the callers choose', () => {
    const keys = Object.values(owners).flatMap((owner) => rawIds.map((raw) => sessionKey(owner, raw)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps parts that hold a colon from reaching into the next part', () => {
    const a = sessionKey({ kind: 'webhook', scope: ['a:b', 'c'] }, 'd');
    const b = sessionKey({ kind: 'webhook', scope: ['a', 'b:c'] }, 'd');
    expect(a).not.toBe(b);
    expect(sessionKey({ kind: 'slack', scope: [undefined, 'C1'] }, 't')).not.toBe(sessionKey({ kind: 'slack', scope: ['C1', ''] }, 't'));
  });

  it('maps every key to a legal Bedrock session id, still one per owner and raw id', () => {
    const keys = Object.values(owners).flatMap((owner) => rawIds.map((raw) => sessionKey(owner, raw)));
    const ids = keys.map(toBedrockSessionId);
    for (const id of ids) expect(id).toMatch(BEDROCK);
    expect(new Set(ids).size).toBe(keys.length);
    expect(ids.map(toBedrockSessionId)).toEqual(ids);
  });

  it('never maps a long key onto an id another caller can send unchanged', () => {
    const long = toBedrockSessionId(sessionKey(owners['key A']!, 'z'.repeat(100)));
    expect(long).not.toMatch(/^(slack|webhook):/);
    // Key B sending key A's mapped id as its own session id still lands in its own namespace.
    expect(toBedrockSessionId(sessionKey(owners['key B']!, long.slice(0, 100)))).not.toBe(long);
  });
});

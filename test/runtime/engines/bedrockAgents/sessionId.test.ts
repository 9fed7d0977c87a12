import { describe, expect, it } from 'vitest';
import { toBedrockSessionId } from '../../../../runtime/engines/bedrockAgents/sessionId.ts';

const LEGAL = /^[0-9a-zA-Z._:-]{2,100}$/u;

describe('channel session ids -> Bedrock session ids', () => {
  it.each(['C0123ABC:1700000000.000100', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'ab', 'x'.repeat(100)])('keeps legal %s as it is', (id) => {
    expect(toBedrockSessionId(id)).toBe(id);
  });

  it.each(['x', '', 'x'.repeat(101), 'thread with spaces', 'user@example.com/thread', 'sessão-1'])('maps %j to a legal id', (id) => {
    expect(toBedrockSessionId(id)).toMatch(LEGAL);
    expect(toBedrockSessionId(id)).toBe(toBedrockSessionId(id));
  });

  it('keeps ids apart that share their readable part', () => {
    const long = 'y'.repeat(120);
    expect(toBedrockSessionId(`${long}1`)).not.toBe(toBedrockSessionId(`${long}2`));
    expect(toBedrockSessionId('a b')).not.toBe(toBedrockSessionId('a/b'));
  });
});

describe('mapped Bedrock session ids', () => {
  it('start with the digest, so they never equal a session key passed unchanged', () => {
    expect(toBedrockSessionId('webhook:webhook:key-0123456789abcdef:' + 'x'.repeat(100))).toMatch(/^h[0-9a-f]{40}\.webhook:webhook:/);
  });
});

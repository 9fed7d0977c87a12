/**
 * Reading a write or a notification out of a request: the new value after the field's own " to " (or "from X to
 * Y"), never another field's; the message and recipient never split inside a URL; a URL as the destination refused.
 */
import { describe, expect, it } from 'vitest';
import type { WriteTable } from '../../../../compiler/manifest.ts';
import { fieldChange, notificationParts } from '../../../../runtime/engines/offline/actionRequests.ts';

const OPPORTUNITIES: WriteTable = {
  columns: ['next_step', 'stage_name', 'forecast_category'], key: ['id'], operations: ['update'],
  enums: { stage_name: ['Negotiate', 'Verbal Commit'], forecast_category: ['Pipeline', 'Commit'] },
};
const value = (q: string) => { const c = fieldChange(q, OPPORTUNITIES); return c.ok ? c.value : undefined; };
const problem = (q: string) => { const c = fieldChange(q, OPPORTUNITIES); return c.ok ? undefined : c.problem; };

describe('fieldChange', () => {
  it.each([
    ['update the DataCorp next step owner to Sarah Johnson', 'next step owner'],
    ['change the TechFlow next step due date to Friday', 'next step due date'],
    ['change the owner of the TechFlow next step to Sarah', 'owner of the next step'],
  ])('"%s" names a field it cannot write: refused with the writable ones, nothing read as the value', (q, asked) => {
    expect(value(q)).toBeUndefined();
    expect(problem(q)).toBe(`I can't change "${asked}": I can change only these fields: next step, stage name, forecast category.`);
  });

  it.each([
    ['change the TechFlow next step from talk to legal to "send the MSA"', 'send the MSA'],
    ['change the TechFlow next step from "talk to legal" to send the MSA', 'send the MSA'],
    ['change the next step from legal review to send the MSA', 'send the MSA'],
    ['update the next step to "send pricing" please', 'send pricing'],
    ['update the next step to talk to legal', 'talk to legal'],
    ['set the next step to confirm the stage with legal', 'confirm the stage with legal'],
    ['set the forecast category of the DataCorp deal to commit', 'Commit'],
    ['update the CRM next step for IXIS to schedule legal review', 'schedule legal review'],
  ])('"%s" sets %j', (q, expected) => {
    expect(value(q)).toBe(expected);
  });

  it('"from X to Y" with two readings asks for quotes instead of taking the first " to "', () => {
    expect(value('change the TechFlow next step from talk to legal to send the MSA')).toBeUndefined();
    expect(problem('change the TechFlow next step from talk to legal to send the MSA')).toMatch(/couldn't tell where the old next step ends.*quotes/u);
  });

  it('says where the new value starts, so a name inside it is not the record', () => {
    const q = 'update the TechFlow next step to send the IXIS case study';
    expect(fieldChange(q, OPPORTUNITIES)).toEqual({ ok: true, column: 'next_step', value: 'send the IXIS case study', from: q.indexOf('to send') });
  });
});

describe('notificationParts', () => {
  it.each([
    'send a notification to https://attacker.test/x saying IXIS closed',
    'post an alert to http://169.254.169.254/latest saying hi',
    'ping https://hooks.example.com/x: IXIS closed',
  ])('"%s": a URL as the destination is refused, never split into a recipient and a message', (q) => {
    const parts = notificationParts(q);
    expect(parts.recipient).toBeUndefined();
    expect(parts.message).toBeUndefined();
    expect(parts.problem).toContain(`never to an address given in the request ("${/\w+:\/\/[^\s:]+/u.exec(q)![0]}")`);
  });

  it('a URL inside the message is part of the message, whole', () => {
    expect(notificationParts('tell Priya that the deck is at https://docs.example.com/a:b.')).toEqual({
      recipient: 'Priya', message: 'the deck is at https://docs.example.com/a:b', from: 'tell Priya that '.length,
    });
  });
});

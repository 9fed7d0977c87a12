/**
 * The offline engine proposes a write or a notification only for what the request says exactly: the record named
 * before the new value (never a name inside it), a name as the data holds it (a typo is asked about), a field the
 * tool writes, a request rather than a question about one, and no URL for a destination.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../../runtime/engines/collect.ts';
import { seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();
const proposed = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'approval_needed' ? [e.parameters] : []));
const lookups = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' && e.tool === 'deal_lookup' ? [e.parameters.deal_name] : []));

describe('the record a write is about', () => {
  it('is the one named before the new value, not a name inside it', async () => {
    const r = await seeded.ask('update the TechFlow next step to send the IXIS case study');
    expect(lookups(r)).toEqual(['TechFlow']);
    expect(proposed(r)).toEqual([expect.objectContaining({ values: '{"next_step":"send the IXIS case study"}', key: '{"id": "OPP-TECHFLOW-01"}' })]);
    expect(r.notDone).toEqual([]);
  });

  it('when it does not exist, nothing is proposed and the answer says it was not found', async () => {
    const r = await seeded.ask('update the Acme next step to mention the IXIS win');
    expect(proposed(r)).toEqual([]);
    expect(lookups(r)).toEqual([]);
    expect(r.answer).toMatch(/found no deal name matching "Acme".*Nothing was changed/su);
  });

  it('two records named before the value are asked about, never the first one changed', async () => {
    for (const text of ['update the IXIS next step for TechFlow to send pricing', 'update the next step for IXIS and DataCorp to send pricing']) {
      const r = await seeded.ask(text);
      expect(proposed(r), text).toEqual([]);
      expect(r.answer, text).toMatch(/^This names more than one deal \("IXIS", "(TechFlow|DataCorp)"\)\. I change one record at a time/u);
    }
    const paired = await seeded.ask('update the Kestrel Energy BI Acceleration next step to book a demo');
    expect(proposed(paired)).toHaveLength(1);
  });

  it('a typo is never corrected into a write: the answer asks whether it meant the record', async () => {
    const r = await seeded.ask('update the TechFlw next step to send pricing');
    expect(proposed(r)).toEqual([]);
    expect(lookups(r)).toEqual([]);
    expect(r.answer).toContain('Did you mean "TechFlow Migration"?');
    expect(r.notDone).toHaveLength(1);
  });
});

describe('the field and value a write sets', () => {
  it.each([
    ['update the DataCorp next step owner to Sarah Johnson', 'next step owner'],
    ['change the TechFlow next step due date to Friday', 'next step due date'],
  ])('"%s": another field than the tool writes is refused with the fields it can change', async (q, asked) => {
    const r = await seeded.ask(q);
    expect(proposed(r)).toEqual([]);
    expect(r.answer).toContain(`I can't change "${asked}": I can change only these fields: next step, stage name, forecast category.`);
  });

  it('"from X to Y" with two readings is asked about; quoted, the new value is the quoted one', async () => {
    const unclear = await seeded.ask('change the TechFlow next step from talk to legal to send the MSA');
    expect(proposed(unclear)).toEqual([]);
    expect(unclear.answer).toMatch(/couldn't tell where the old next step ends/u);
    const quoted = await seeded.ask('change the TechFlow next step from talk to legal to "send the MSA"');
    expect(proposed(quoted)).toEqual([expect.objectContaining({ values: '{"next_step":"send the MSA"}' })]);
  });
});

describe('a question about an action is not a request for it', () => {
  it.each([
    'should we tell Priya that IXIS moved to Negotiate?',
    'did anyone tell Priya that IXIS slipped?',
    "why didn't we notify #deal-desk about the Globex renewal?",
    'should we update the IXIS next step to send pricing?',
  ])('%s', async (q) => {
    const r = await seeded.ask(q);
    expect(proposed(r)).toEqual([]);
    expect(r.answer).toMatch(/haven't changed or sent anything/u);
  });

  it('a polite request still is one', async () => {
    const r = await seeded.ask('could you tell Priya that IXIS moved to Negotiate?');
    expect(proposed(r)).toEqual([expect.objectContaining({ recipient: 'Priya', message: 'IXIS moved to Negotiate' })]);
  });
});

describe('a URL as a notification\'s destination', () => {
  it.each([
    ['send a notification to https://attacker.test/x saying IXIS closed', 'https://attacker.test/x'],
    ['post an alert to http://169.254.169.254/latest saying hi', 'http://169.254.169.254/latest'],
  ])('%s: refused, nothing proposed', async (q, url) => {
    const r = await seeded.ask(q);
    expect(proposed(r)).toEqual([]);
    expect(r.answer).toContain(`only to the destination configured for them, never to an address given in the request ("${url}")`);
    expect(r.answer).toContain('Nothing was sent.');
  });
});

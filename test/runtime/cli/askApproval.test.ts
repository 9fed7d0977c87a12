/**
 * `revops ask` with an action (issue 13): without a terminal it prints the preview and changes nothing; `--yes`
 * writes once and leaves one audit record; a terminal's "n" cancels. The warehouse is the embedded one, read back
 * through `revops tool` after each run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../../runtime/cli/ask.ts';
import { command as audit } from '../../../runtime/cli/audit.ts';
import { command as tool } from '../../../runtime/cli/tool.ts';
import { captureIO, tempProject } from './tempProject.ts';

let project: Awaited<ReturnType<typeof tempProject>>;
beforeAll(async () => {
  project = await tempProject();
});
afterAll(async () => project?.remove());

const QUESTION = 'update the next step on the TechFlow deal to security review';

async function nextStep(): Promise<string> {
  const io = captureIO(project.root);
  expect(await tool.run(['deal_lookup', '--param', 'deal_name=TechFlow', '--json'], io)).toBe(0);
  return (JSON.parse(io.out.join('')) as { rows: Array<{ next_step: string }> }).rows[0]!.next_step;
}

async function auditRecords(): Promise<Array<{ status: string; preview: { changes: Array<{ from: string; to: string }> } }>> {
  const io = captureIO(project.root);
  expect(await audit.run(['--json'], io)).toBe(0);
  return JSON.parse(io.out.join(''));
}

describe('revops ask with a CRM change', () => {
  it('without a terminal prints the preview (old and new value) and changes nothing', async () => {
    const before = await nextStep();
    const io = captureIO(project.root);
    expect(await ask.run([QUESTION], io)).toBe(0);
    const text = io.out[0]!;
    expect(text).toContain('**Approval needed** — nothing has been changed yet.');
    expect(text).toContain(`- next step: "${before}" → "security review"`);
    expect(text).toContain('Not applied: no terminal to ask on. Run the command again with --yes to apply it.');
    expect(await nextStep()).toBe(before);
    expect(await auditRecords()).toEqual([]);
  });

  it('on a terminal, anything but yes cancels: nothing written, the cancellation on record', async () => {
    const before = await nextStep();
    const io = { ...captureIO(project.root), prompt: async (question: string) => (expect(question).toBe('Apply? [y/N] '), 'n') };
    expect(await ask.run([QUESTION], io)).toBe(0);
    expect(io.out.join('\n')).toContain('Cancelled — nothing was changed.');
    expect(await nextStep()).toBe(before);
    expect((await auditRecords()).map((r) => r.status)).toEqual(['rejected']);
  });

  it('with --yes writes once, with one audit record of the old and new value', async () => {
    const before = await nextStep();
    const io = captureIO(project.root);
    expect(await ask.run([QUESTION, '--yes'], io)).toBe(0);
    expect(io.out[0]).toContain('**Done** — Updated 1 row in opportunities.');
    expect(await nextStep()).toBe('security review');
    const records = await auditRecords();
    expect(records.map((r) => r.status)).toEqual(['done', 'rejected']);
    expect(records[0]!.preview.changes).toEqual([{ column: 'next_step', label: 'next step', from: before, to: 'security review' }]);
    // Asked again, there is nothing to change: no second proposal, no second write.
    const again = captureIO(project.root);
    expect(await ask.run([QUESTION, '--yes'], again)).toBe(0);
    expect(again.out[0]).toMatch(/already has next step "security review"; nothing to change/);
    expect((await auditRecords()).length).toBe(2);
  });
});

/**
 * The ExportSink contract (runtime/exports/layout.ts): an export is never replaced; a second one of the same name
 * goes to a numbered sibling. The local folder sink in `npm test`, the S3 sink against moto_server in
 * `npm run test:aws`.
 */
import { describe, expect, it } from 'vitest';
import type { ExportSink } from '../../runtime/exports/layout.ts';

export interface ExportSinkHarness {
  open(): Promise<ExportSink>;
  /** The text of file `name` of the export at `location` (what `write` returned). */
  read(location: string, name: string): Promise<string>;
}

const files = (text: string) => ({ 'conversation.json': `{"text":"${text}"}`, 'trace.json': `{"trace":"${text}"}` });

export function describeExportSinkContract(implementation: string, harness: ExportSinkHarness): void {
  describe(`ExportSink contract: ${implementation}`, () => {
    it('writes every file of an export under the location it returns', async () => {
      const sink = await harness.open();
      const location = await sink.write('2026/01/15/2026-01-15T10-00-00-c1', files('one'));
      expect(await harness.read(location, 'conversation.json')).toBe('{"text":"one"}');
      expect(await harness.read(location, 'trace.json')).toBe('{"trace":"one"}');
    });

    it('a second export of the same name goes to a sibling and leaves the first as it was', async () => {
      const sink = await harness.open();
      const folder = '2026/01/15/2026-01-15T10-00-00-c2';
      const first = await sink.write(folder, files('first'));
      const second = await sink.write(folder, files('second'));
      expect(second).not.toBe(first);
      expect(second.replace(/\/$/, '')).toMatch(/-2$/);
      expect(await harness.read(first, 'conversation.json')).toBe('{"text":"first"}');
      expect(await harness.read(second, 'conversation.json')).toBe('{"text":"second"}');
    });

    it('concurrent exports of one name each get their own folder', async () => {
      const sink = await harness.open();
      const texts = ['a', 'b', 'c', 'd'];
      const locations = await Promise.all(texts.map((t) => sink.write('2026/01/15/2026-01-15T10-00-00-c3', files(t))));
      expect(new Set(locations).size).toBe(texts.length);
      const read = await Promise.all(locations.map((l) => harness.read(l, 'trace.json')));
      expect(read.sort()).toEqual(texts.map((t) => `{"trace":"${t}"}`));
    });
  });
}

/**
 * The webhook StatusStore contract (runtime/channels/webhook/statusStore.ts): the local journal in `npm test`, the
 * S3 store against moto_server in `npm run test:aws`.
 */
import { describe, expect, it } from 'vitest';
import type { IdempotencyClaim, StatusPatch, StatusStore } from '../../runtime/channels/webhook/statusStore.ts';

export interface StatusStoreHarness {
  /** A new, empty store. */
  open(): Promise<StatusStore>;
}

const claimFor = (trackingId: string): IdempotencyClaim => ({ tracking_id: trackingId, request_digest: 'd', at: new Date().toISOString() });

const at = (second: number): string => `2026-01-15T10:00:${String(second).padStart(2, '0')}.000Z`;

export function describeStatusStoreContract(implementation: string, harness: StatusStoreHarness): void {
  describe(`StatusStore contract: ${implementation}`, () => {
    it('a tracking id never written reads as undefined', async () => {
      const store = await harness.open();
      expect(await store.get('never-written')).toBeUndefined();
      await store.close();
    });

    it('the first patch creates the record; later patches merge into it', async () => {
      const store = await harness.open();
      await store.update('t-1', { status: 'queued', updated_at: at(0), source_system: 'crm' });
      expect(await store.get('t-1')).toEqual({ tracking_id: 't-1', status: 'queued', queued_at: at(0), updated_at: at(0), source_system: 'crm' });
      await store.update('t-1', { status: 'done', updated_at: at(5), response: 'the answer' });
      expect(await store.get('t-1')).toEqual({
        tracking_id: 't-1', status: 'done', queued_at: at(0), updated_at: at(5), source_system: 'crm', response: 'the answer',
      });
      await store.close();
    });

    it('a late processing patch never overwrites a final state, nor a failed one a delivered answer', async () => {
      const store = await harness.open();
      await store.update('t-2', { status: 'done', updated_at: at(1), delivered_at: at(1), response: 'ok' });
      await store.update('t-2', { status: 'processing', updated_at: at(2) });
      await store.update('t-2', { status: 'failed', updated_at: at(3), error: { code: 'delivery_failed', message: 'duplicate' } });
      expect(await store.get('t-2')).toMatchObject({ status: 'done', response: 'ok', delivered_at: at(1) });
      expect((await store.get('t-2'))?.error).toBeUndefined();
      await store.close();
    });

    it('concurrent patches of one record keep every field', async () => {
      const store = await harness.open();
      await store.update('t-3', { status: 'queued', updated_at: at(0) });
      const patches: StatusPatch[] = [
        { updated_at: at(1), source_system: 'crm' },
        { updated_at: at(2), response: 'answer' },
        { updated_at: at(3), delivery_attempts: 2 },
        { updated_at: at(4), last_delivery_error: 'receiver said 503' },
        { updated_at: at(5), error: { code: 'x', message: 'y' } },
        { updated_at: at(6), status: 'processing' },
      ];
      await Promise.all(patches.map((patch) => store.update('t-3', patch)));
      expect(await store.get('t-3')).toMatchObject({
        status: 'processing', source_system: 'crm', response: 'answer', delivery_attempts: 2,
        last_delivery_error: 'receiver said 503', error: { code: 'x', message: 'y' },
      });
      await store.close();
    });

    it('of concurrent idempotency claims of one key one wins and every caller sees it; released, the key is free again', async () => {
      const store = await harness.open();
      const claims = ['r-1', 'r-2', 'r-3', 'r-4'].map(claimFor);
      const inForce = await Promise.all(claims.map((c) => store.claim('idem-1', c)));
      expect(new Set(inForce.map((c) => c.tracking_id)).size).toBe(1);
      const winner = inForce[0]!;
      await store.confirm('idem-1', winner);
      expect(await store.claim('idem-1', claimFor('r-5'))).toMatchObject({ tracking_id: winner.tracking_id, queued: true });
      await store.release('idem-1');
      expect((await store.claim('idem-1', claimFor('r-6'))).tracking_id).toBe('r-6');
      await store.close();
    });

    it('ids are kept apart whatever characters they hold', async () => {
      const store = await harness.open();
      await store.update('a/b?c d', { status: 'queued', updated_at: at(0) });
      await store.update('a', { status: 'failed', updated_at: at(1) });
      expect((await store.get('a/b?c d'))?.status).toBe('queued');
      expect((await store.get('a'))?.status).toBe('failed');
      expect(await store.get('a/b')).toBeUndefined();
      await store.close();
    });
  });
}

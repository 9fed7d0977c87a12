/**
 * The DoneSet contract (runtime/processing/doneSet.ts): claims before processing, so two deliveries of one message
 * answer once. The journal in `npm test`, the S3 set against moto_server in `npm run test:aws`.
 */
import { describe, expect, it } from 'vitest';
import type { Claim, DoneSet, HeldClaim } from '../../runtime/processing/doneSet.ts';

export interface DoneSetHarness {
  /** A new, empty set. */
  open(): Promise<DoneSet>;
}

const held = (claim: Claim): HeldClaim => {
  expect(claim.status).toBe('claimed');
  return claim as HeldClaim;
};

export function describeDoneSetContract(implementation: string, harness: DoneSetHarness): void {
  describe(`DoneSet contract: ${implementation}`, () => {
    it('a key is answered only once its claim completes; a completed key is never claimed again', async () => {
      const done = await harness.open();
      expect(await done.has('k-1')).toBe(false);
      const claim = held(await done.claim('k-1'));
      expect(await done.has('k-1')).toBe(false);
      await claim.complete();
      expect(await done.has('k-1')).toBe(true);
      expect(await done.claim('k-1')).toEqual({ status: 'answered' });
      await done.close();
    });

    it('a held claim makes the next claim busy; released, the key may be claimed again', async () => {
      const done = await harness.open();
      const first = held(await done.claim('k-2'));
      expect(await done.claim('k-2')).toEqual({ status: 'busy' });
      await first.release();
      expect(await done.has('k-2')).toBe(false);
      await held(await done.claim('k-2')).complete();
      expect(await done.has('k-2')).toBe(true);
      await done.close();
    });

    it('of concurrent claims of one key exactly one is granted', async () => {
      const done = await harness.open();
      const claims = await Promise.all(Array.from({ length: 8 }, () => done.claim('k-3')));
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'busy')).toHaveLength(7);
      await done.close();
    });

    it('keys are kept apart whatever characters they hold', async () => {
      const done = await harness.open();
      await held(await done.claim('slack:T1/C2?ts=1.2')).complete();
      expect(await done.has('slack:T1/C2?ts=1.2')).toBe(true);
      expect(await done.has('slack:T1/C2')).toBe(false);
      await done.close();
    });
  });
}

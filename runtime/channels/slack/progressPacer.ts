/**
 * Pacing of progress edits (issue 5: about once a second at most, a bounded number, no repeats): a line is shown
 * only when at least `minIntervalMs` passed since the last one shown, fewer than `maxUpdates` were shown, it was
 * not shown before, and it is not a near-repeat of the last one (same words, other numbers: "Retrieved 12 rows"
 * right after "Retrieved 11 rows"). Pure: state in, decision and next state out; the clock is the caller's.
 */
export interface PacerState {
  shown: number;
  lastAtMs?: number;
  lastShape?: string;
  seen: ReadonlySet<string>;
}

export interface PacerLimits {
  minIntervalMs: number;
  maxUpdates: number;
}

export const initialPacer = (): PacerState => ({ shown: 0, seen: new Set() });

/** Words only, numbers as `#`, plurals folded: "Retrieved 1 row" and "Retrieved 12 rows" have one shape. */
const shape = (line: string): string =>
  line.toLowerCase().replace(/\d+/g, '#').replace(/[^a-z#]+/g, ' ').replace(/s\b/g, '').trim();

export function pace(state: PacerState, line: string, nowMs: number, limits: PacerLimits): { show: boolean; state: PacerState } {
  const tooSoon = state.lastAtMs !== undefined && nowMs - state.lastAtMs < limits.minIntervalMs;
  const repeat = state.seen.has(line) || state.lastShape === shape(line);
  if (tooSoon || repeat || state.shown >= limits.maxUpdates) return { show: false, state };
  return {
    show: true,
    state: { shown: state.shown + 1, lastAtMs: nowMs, lastShape: shape(line), seen: new Set([...state.seen, line]) },
  };
}

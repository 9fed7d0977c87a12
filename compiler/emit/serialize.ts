/**
 * Deterministic bytes: 2-space JSON with a final newline; maps whose order means nothing are sorted by key; the
 * content hash is sha256 of the manifest serialised without its `hash` field.
 */
import { createHash } from 'node:crypto';

export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortedRecord<V, R>(record: Record<string, V>, map: (value: V, key: string) => R): Record<string, R> {
  return Object.fromEntries(Object.keys(record).sort(byKey).map((key) => [key, map(record[key]!, key)]));
}

export const byName = <T extends { name: string }>(a: T, b: T): number => byKey(a.name, b.name);

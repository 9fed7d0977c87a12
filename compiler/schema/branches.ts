/**
 * ajv reports the errors of every `oneOf`/`anyOf` branch. Keep only the branch the value was evidently written for:
 * the one whose type fits the value; among several, the one whose required key is present. When no single branch
 * stands out, keep just the `oneOf` error itself ("must have exactly one of …").
 */
import type { ErrorObject } from 'ajv';

const SHAPE = new Set(['type', 'const', 'enum']);

export function dropUnchosenBranches(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const unions = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (!e.schemaPath.startsWith(prefix) || dropped.has(e)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0]!;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const here = (e: ErrorObject) => e.instancePath === union.instancePath;
    const fits = [...byBranch].filter(([, es]) => !es.some((e) => here(e) && SHAPE.has(e.keyword)));
    const keyed = fits.filter(([, es]) => !es.some((e) => here(e) && e.keyword === 'required'));
    const chosen = fits.length === 1 ? fits[0] : keyed.length === 1 ? keyed[0] : undefined;
    for (const [branch, es] of byBranch) if (branch !== chosen?.[0]) es.forEach((e) => dropped.add(e));
    if (chosen) dropped.add(union);
  }
  return errors.filter((e) => !dropped.has(e));
}

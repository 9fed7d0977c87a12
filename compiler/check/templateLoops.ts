/**
 * Loops over literal ranges (`{% for i in (1..100000000) %}`), and loops inside them: how many times the
 * innermost body runs is the product of the ranges' sizes. A template that asks for more than
 * MAX_LITERAL_ITERATIONS is a loop bomb the renderer would only stop at its limits; `validate` names it first.
 * Ranges with a variable end are left to those limits (their size is known only at render time).
 */
import { ForTag, TablerowTag, type Template, toValueSync, TypeGuards } from 'liquidjs';
import { MAX_LITERAL_ITERATIONS } from '../liquid.ts';

export interface LoopBomb {
  /** The loop's tag, as offsets into the template text. */
  begin: number;
  end: number;
  /** Times its body runs, counting the loops around it. */
  iterations: number;
}

/** Elements liquidjs makes for `(low..high)`: range(low, high + 1). */
const rangeSize = (low: number, high: number): number => Math.max(0, Math.ceil(high + 1 - low));

function literalRangeSize(tag: ForTag | TablerowTag): number | undefined {
  const { collection } = tag;
  if (!TypeGuards.isRangeToken(collection)) return undefined;
  const { lhs, rhs } = collection;
  return TypeGuards.isNumberToken(lhs) && TypeGuards.isNumberToken(rhs) ? rangeSize(lhs.content, rhs.content) : undefined;
}

/** The outermost loop on each path whose iterations pass the limit (the loops inside it are not reported again). */
export function loopBombs(templates: readonly Template[], around = 1): LoopBomb[] {
  return templates.flatMap((template): LoopBomb[] => {
    if (template instanceof ForTag || template instanceof TablerowTag) {
      const size = literalRangeSize(template);
      const iterations = size === undefined ? around : around * size;
      if (iterations > MAX_LITERAL_ITERATIONS) return [{ begin: template.token.begin, end: template.token.end, iterations }];
      // A for loop's else branch runs once, when the collection is empty.
      const otherwise = template instanceof ForTag ? loopBombs(template.elseTemplates, around) : [];
      return [...loopBombs(template.templates, iterations), ...otherwise];
    }
    const children = template.children ? toValueSync(template.children(false, true)) : [];
    return loopBombs(children, around);
  });
}

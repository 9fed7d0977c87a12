/**
 * The plan as people and programs read it: a table (type, name, key inputs, dependencies) or JSON objects
 * `{type, name, parent, inputs, dependsOn}`. Secret values are redacted wherever they appear.
 */
import type { PlannedResource } from './runUnderMocks.ts';

export interface PlanEntry {
  type: string;
  name: string;
  parent?: string;
  inputs: Record<string, unknown>;
  dependsOn: string[];
}

const SECRET_KEYS = new Set(['secretString']);
/** Long documents the table leaves out (they are in --json). */
const BULKY_KEYS = new Set(['instruction', 'policy', 'assumeRolePolicy', 'dashboardBody', 'code', 'functionSchema']);

const redact = (inputs: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[secret]' : v]));

export function planEntries(resources: PlannedResource[]): PlanEntry[] {
  return resources.filter((r) => r.custom).sort((a, b) => a.name.localeCompare(b.name)).map((r) => ({
    type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), inputs: redact(r.inputs), dependsOn: r.dependsOn,
  }));
}

function keyInputs(inputs: Record<string, unknown>): string {
  return Object.entries(inputs)
    .filter(([k, v]) => !BULKY_KEYS.has(k) && !k.startsWith('__') && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .map((text) => (text.length > 100 ? `${text.slice(0, 97)}...` : text))
    .join('  ');
}

/** One block per resource: type and name aligned in columns, then its key inputs and dependencies indented. */
export function renderPlanTable(entries: PlanEntry[]): string {
  const typeWidth = Math.max(4, ...entries.map((e) => e.type.length));
  const blocks = entries.map((e) => {
    const inputs = keyInputs(e.inputs);
    return [`${e.type.padEnd(typeWidth)}  ${e.name}`,
      ...(inputs ? [`    inputs:     ${inputs}`] : []),
      `    depends on: ${e.dependsOn.join(', ') || '-'}`].join('\n');
  });
  return [`${'TYPE'.padEnd(typeWidth)}  NAME`, ...blocks, '', `${entries.length} resources`].join('\n');
}

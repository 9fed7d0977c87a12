/**
 * What a user may see of the agents' work: one short line per trace event, built only from agent display names,
 * tool names and row counts. Never SQL, parameters, tool output or error text — the seed's progress messages
 * exposed the SQL (original-implementation-notes.md), and error text can carry statements or hostnames.
 */
import type { TraceEvent } from '../../engines/trace.ts';

/** `deal_analysis` -> `Deal Analysis`. */
export function displayName(agent: string): string {
  return safeName(agent)
    .split(/[_-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** Names come from specs (Bedrock name rule); anything else is dropped rather than echoed. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100);
}

const rows = (n: number): string => `Retrieved ${n} ${n === 1 ? 'row' : 'rows'}`;

export function progressText(event: TraceEvent): string | undefined {
  switch (event.type) {
    case 'route':
    case 'delegate':
      // A delegate that returned (`output` set) is not news; a supervisor "routing" to itself is not either.
      if (event.target === event.agent || (event.type === 'delegate' && event.output !== undefined)) return undefined;
      return `Routing to ${displayName(event.target)}…`;
    case 'tool_call':
      return `Running \`${safeName(event.tool)}\`…`;
    case 'tool_result':
      if (!event.ok) return `\`${safeName(event.tool)}\` did not succeed; carrying on…`;
      return event.rowCount === undefined ? `\`${safeName(event.tool)}\` finished` : rows(event.rowCount);
    case 'approval_needed':
      return `\`${safeName(event.tool)}\` needs approval first…`;
    case 'answer':
    case 'error':
      return undefined;
  }
}

/**
 * The answers the offline engine gives when it cannot answer from data: no collaborator close to the question, no
 * skill that fits, a parameter it could not fill, a step with no rows, a step that failed. Each says plainly what
 * happened, in words a sales leader uses (a tool's `task`, never a table, column, tool name, SQL or driver message:
 * those stay in the trace), and suggests a question it can answer; none states a fact it did not read.
 */
import type { ManifestAgent, ManifestParameter, ManifestTool, ToolKind } from '../../../compiler/manifest.ts';
import type { ToolErrorCode } from '../../tools/toolbox.ts';
import type { AnswerGap } from '../trace.ts';
import { nameKind } from './entities.ts';

const quote = (s: string): string => `"${s}"`;

/** The supervisor's reply when no collaborator is close: what each one does, with an example question. */
export function capabilities(supervisor: ManifestAgent, collaborators: ManifestAgent[]): string {
  const lines = collaborators.map((c) => {
    const example = c.routingExamples[0] ?? c.skills[0]?.examples[0];
    return `- ${c.description}${example ? ` — e.g. ${quote(example)}` : ''}`;
  });
  return [`I'm not sure what you're asking, so I haven't looked anything up. I can help with:`, ...lines].join('\n');
}

export function noSkill(agent: ManifestAgent): string {
  const examples = agent.skills.flatMap((s) => s.examples.slice(0, 1)).slice(0, 3).map(quote);
  return `I can't answer that with what I know how to do (${agent.description.replace(/\.$/u, '')}).` +
    (examples.length ? ` I can answer questions like ${examples.join(', ')}.` : '');
}

const what = (p: ManifestParameter): string => p.name.replace(/_/gu, ' ');

const ASK_FOR: Record<'recipient' | 'message', string> = {
  recipient: 'Who should I notify? Say who it is for (a person or a channel such as #deal-desk) — nothing was sent.',
  message: 'What should the notification say? Tell me the message — nothing was sent.',
};

export function unresolved(p: ManifestParameter, tool: ManifestTool, unknownNames: string[], example?: string, problem?: string): string {
  const hint = example ? ` Try, for example: ${quote(example)}` : '';
  if (problem) return `${problem}${hint}`;
  if (p.resolve && 'notify' in p.resolve) return `${ASK_FOR[p.resolve.notify]}${hint}`;
  const looked = unknownNames.length
    ? `I found no ${what(p)} matching ${unknownNames.map(quote).join(', ')} in our data.`
    : `I couldn't tell which ${what(p)} you mean, and I need it to ${tool.task}.`;
  return `${looked}${example ? ` Try, for example: ${quote(example)}` : ''}`;
}

export function noRows(params: Record<string, unknown>, example?: string): string {
  const shown = Object.entries(params).filter(([, v]) => v !== '' && v !== undefined)
    .map(([k, v]) => `${k.replace(/_/gu, ' ')} ${quote(String(v))}`);
  return `I found no records${shown.length ? ` for ${shown.join(', ')}` : ''}.` + (example ? ` Try, for example: ${quote(example)}` : '');
}

/** Whom a failure is about, by tool kind: "the calls service is not configured". */
const SERVICE: Record<ToolKind, string> = {
  sql: 'the revenue data', sql_query: 'the revenue data', sql_write: 'the CRM', gong: 'the calls service',
  web_search: 'web search', webhook: 'the notification service', knowledge: 'the knowledge documents', metrics: 'the revenue data',
};

const REASON: Record<ToolErrorCode, (service: string) => string> = {
  not_configured: (service) => `${service} is not configured`,
  upstream: (service) => `${service} could not be reached`,
  timeout: (service) => `${service} took too long to answer`,
  too_large: () => 'the question needs more data at once than the report may read; narrow it (a period, a segment, fewer records)',
  refused: () => 'a safety rule refused the request',
  invalid_parameter: () => 'part of the request could not be used as given',
  execution: () => 'the report behind it failed (the details are logged for an admin)',
  unknown_tool: () => 'it is not part of this deployment',
  approval_required: () => 'it waits for a person to approve it',
};

/** Where one kind's failure has a plainer cause than the general one. */
const KIND_REASON: Partial<Record<ToolKind, Partial<Record<ToolErrorCode, string>>>> = {
  webhook: { refused: 'the destination is not on the allowed list' },
  sql_write: {
    refused: 'that change is not allowed', invalid_parameter: 'the record to change was not identified',
    execution: 'the CRM did not accept the change (the details are logged for an admin)',
  },
  sql_query: { refused: 'only read-only questions about the data are allowed', invalid_parameter: 'the question could not be turned into a valid query' },
};

/** A failed step in plain words; the tool's own code and message stay in the trace. */
export function gapOf(tool: Pick<ManifestTool, 'name' | 'kind' | 'task'>, code: ToolErrorCode): AnswerGap {
  const reason = KIND_REASON[tool.kind]?.[code] ?? REASON[code](SERVICE[tool.kind]);
  return { tool: tool.name, task: tool.task, reason };
}

/** A step whose tool this deployment's manifest does not have (a spec and its build out of step). */
export const missingTool = (name: string): AnswerGap =>
  ({ tool: name, task: 'use one of the tools this answer needs', reason: REASON.unknown_tool('') });

const sentence = (gap: AnswerGap): string => `I couldn't ${gap.task}: ${gap.reason}.`;

/** The whole answer when no step worked: what could not be done and why, and that nothing was guessed instead. */
export function nothingChecked(gaps: readonly AnswerGap[]): string {
  return `${gaps.map(sentence).join(' ')} I haven't filled the gap with a guess.`;
}

/** Appended to an answer built from the steps that worked. */
export function notChecked(gaps: readonly AnswerGap[]): string {
  return ['**Incomplete answer:** these parts failed, which is not the same as finding nothing', ...gaps.map((g) => `- ${sentence(g)}`)].join('\n');
}

/** An action names a record only as the data holds it: a typo or a prefix read into a name is asked about. */
export function didYouMean(r: { typed: string; value: string }): string {
  return `I found nothing named exactly ${quote(r.typed)}. Did you mean ${quote(r.value)}? I change or send something only for a name spelled as in our data, so say it that way.`;
}

/** A change that names several records: it is made to one at a time, and which one is the asker's to say. */
export function severalRecords(r: { typed: string[]; source: string }): string {
  return `This names more than one ${nameKind(r.source)} (${r.typed.map(quote).join(', ')}). I change one record at a time: ask again naming only the one to change.`;
}

const MAX_OPTIONS = 5;

/** Several records match a name equally well: list them and ask, instead of picking one. */
export function ambiguousName(a: { typed: string; source: string; options: string[] }): string {
  const shown = a.options.slice(0, MAX_OPTIONS).map(quote).join(', ');
  const more = a.options.length > MAX_OPTIONS ? ` and ${a.options.length - MAX_OPTIONS} more` : '';
  return `"${a.typed}" matches more than one ${nameKind(a.source)}: ${shown}${more}. Which one do you mean?`;
}

/**
 * AWS naming and size limits a deployment can pass, checked on what the program would register (the resources
 * recorded under mocks), so every name is checked as `pulumi up` would send it — the stack's name prefix, channel,
 * agent and tool names combined. One row per resource type and field; a problem names the resource, the value and
 * the limit. Names Pulumi generates (no explicit name) are the logical name plus `-` and 7 random characters.
 */
import { ACTION_GROUP_RESPONSE_MAX_BYTES, type Manifest } from '../../compiler/manifest.ts';
import type { PlannedResource } from './runUnderMocks.ts';

export interface LimitProblem {
  resource: string;
  field: string;
  value: string | number;
  limit: string;
}

interface NameRule {
  field: string;
  max: number;
  pattern?: RegExp;
  patternText?: string;
  /** The field is optional and Pulumi generates it from the logical name when absent. */
  generated?: boolean;
}

const BEDROCK_NAME = { pattern: /^([0-9a-zA-Z][_-]?){1,100}$/u, patternText: '^([0-9a-zA-Z][_-]?){1,100}$' };
const AUTONAME_SUFFIX = 8;

/** Resource type -> the name fields AWS limits (Lambda CreateFunction, IAM, SQS, Bedrock Agents API references). */
const NAME_RULES: Record<string, NameRule[]> = {
  'aws:lambda/function:Function': [{ field: 'name', max: 64, pattern: /^[a-zA-Z0-9_-]+$/u, patternText: '[a-zA-Z0-9-_]+' }],
  'aws:iam/role:Role': [{ field: 'name', max: 64, generated: true }],
  'aws:iam/rolePolicy:RolePolicy': [{ field: 'name', max: 128, generated: true }],
  'aws:sqs/queue:Queue': [{ field: 'name', max: 80, pattern: /^[a-zA-Z0-9_-]+(\.fifo)?$/u, patternText: '[a-zA-Z0-9-_] (.fifo)' }],
  'aws:cloudwatch/logGroup:LogGroup': [{ field: 'name', max: 512 }],
  'aws:secretsmanager/secret:Secret': [{ field: 'name', max: 512, generated: true }],
  'aws:bedrock/agentAgent:AgentAgent': [{ field: 'agentName', max: 100, ...BEDROCK_NAME }],
  'aws:bedrock/agentAgentAlias:AgentAgentAlias': [{ field: 'agentAliasName', max: 100, ...BEDROCK_NAME }],
  'aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup': [{ field: 'actionGroupName', max: 100, ...BEDROCK_NAME }],
  'aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator': [{ field: 'collaboratorName', max: 100, ...BEDROCK_NAME }],
  'aws:cloudwatch/metricAlarm:MetricAlarm': [{ field: 'name', max: 255, generated: true }],
  'aws:cloudwatch/dashboard:Dashboard': [{ field: 'dashboardName', max: 255 }],
};

/** Lambda's timeout: whole seconds, 1..900 (CreateFunction `Timeout`). */
const LAMBDA_TIMEOUT = { type: 'aws:lambda/function:Function', field: 'timeout', min: 1, max: 900 };

function nameProblems(r: PlannedResource): LimitProblem[] {
  return (NAME_RULES[r.type] ?? []).flatMap((rule) => {
    const given = r.inputs[rule.field];
    const generated = given === undefined && rule.generated;
    if (typeof given !== 'string' && !generated) return [];
    const value = typeof given === 'string' ? given : `${r.name}-xxxxxxx`;
    const length = typeof given === 'string' ? given.length : r.name.length + AUTONAME_SUFFIX;
    const problems: LimitProblem[] = [];
    if (length > rule.max) {
      problems.push({ resource: r.name, field: rule.field, value, limit: `at most ${rule.max} characters (it has ${length}${generated ? ', Pulumi adds 8' : ''})` });
    }
    if (rule.pattern && typeof given === 'string' && !rule.pattern.test(given)) {
      problems.push({ resource: r.name, field: rule.field, value, limit: `the pattern ${rule.patternText}` });
    }
    return problems;
  });
}

function timeoutProblems(r: PlannedResource): LimitProblem[] {
  if (r.type !== LAMBDA_TIMEOUT.type) return [];
  const timeout = r.inputs[LAMBDA_TIMEOUT.field];
  if (typeof timeout !== 'number') return [];
  if (Number.isInteger(timeout) && timeout >= LAMBDA_TIMEOUT.min && timeout <= LAMBDA_TIMEOUT.max) return [];
  return [{ resource: r.name, field: 'timeout', value: timeout, limit: `whole seconds from ${LAMBDA_TIMEOUT.min} to ${LAMBDA_TIMEOUT.max}` }];
}

/** Every limit the registered resources pass. */
export const resourceLimitProblems = (resources: PlannedResource[]): LimitProblem[] =>
  resources.flatMap((r) => [...nameProblems(r), ...timeoutProblems(r)]);

/**
 * On the bedrock-agents engine, tools answer through the action-group Lambda, whose response Bedrock caps: a tool
 * budget (`max_result_chars`, one byte per character at best) must leave room under it. 5,000 bytes (a fifth of the
 * cap) stay free for the envelope, the session attributes echoed back, the executor's own margin and JSON escaping;
 * a result that still passes the cap is cut further by the executor, with a note (runtime/tools/actionGroupHandler.ts).
 */
export const ACTION_GROUP_MAX_RESULT_CHARS = ACTION_GROUP_RESPONSE_MAX_BYTES - 5_000;

export function actionGroupBudgetProblems(manifest: Manifest): LimitProblem[] {
  const grouped = new Set(manifest.agents.flatMap((a) => a.actionGroups.flatMap((g) => g.tools)));
  return manifest.tools.filter((t) => grouped.has(t.name) && t.maxResultChars > ACTION_GROUP_MAX_RESULT_CHARS).map((t) => ({
    resource: `tool ${t.name} (${t.source})`, field: 'max_result_chars', value: t.maxResultChars,
    limit: `at most ${ACTION_GROUP_MAX_RESULT_CHARS} on the bedrock-agents engine (Bedrock caps an action-group response at ${ACTION_GROUP_RESPONSE_MAX_BYTES} bytes)`,
  }));
}

export const renderLimitProblem = (p: LimitProblem): string =>
  `RV_INFRA_LIMIT: ${p.resource}: ${p.field} ${typeof p.value === 'string' ? `'${p.value}'` : p.value} must be ${p.limit}`;

/** What `revops plan` and `pulumi up` print when limits are passed: a line per problem, then how many. */
export const renderLimitProblems = (problems: LimitProblem[]): string =>
  `${problems.map(renderLimitProblem).join('\n')}\n${problems.length} AWS limit(s) exceeded; nothing to deploy until they are fixed.`;

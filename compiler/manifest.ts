/**
 * The compiled manifest: the one contract between the compiler and the layers that read it (runtime, infra).
 * Everything here is plain JSON data, fully resolved (no references left to chase, no YAML positions), sorted by
 * name so that the same specs always give the same bytes. `runtime/` and `infra/` import these types and only the
 * few other shared modules of `compiler/` that ARCHITECTURE.md lists.
 */

export const MANIFEST_VERSION = 1 as const;

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  /** sha256 (hex) of the manifest serialised without this field; changes whenever anything deployable changes. */
  hash: string;
  defaults: ManifestDefaults;
  /** Sorted by name. Exactly one supervisor per routes file; collaborators form a tree under it. */
  agents: ManifestAgent[];
  /** Sorted by name. */
  tools: ManifestTool[];
  /** One entry per routes spec, sorted by supervisor. */
  routes: ManifestRoutes[];
  /** Sorted by name. */
  channels: ManifestChannel[];
  /** The knowledge documents (`specs/knowledge/*.md`): what `knowledge` tools search and the knowledge base holds. */
  knowledge: ManifestKnowledge;
  /** The metrics layer (`specs/metrics/*.yaml`), one model per base table, sorted by name. */
  metrics: ManifestMetricModel[];
}

export interface ManifestKnowledge {
  /** Sorted by id. */
  documents: ManifestKnowledgeDocument[];
  /** sha256 (hex) of the documents; changes whenever one is added, removed or edited (infra re-ingests then). */
  hash: string;
}

export interface ManifestKnowledgeDocument {
  /** The file stem: specs/knowledge/<id>.md. */
  id: string;
  title: string;
  /** Names of the agents that use it (each has a `knowledge` tool). */
  agents: string[];
  tags: string[];
  /** specs/knowledge/<id>.md */
  source: string;
  /** The Markdown body without the front matter. */
  text: string;
  /** sha256 (hex) of text. */
  hash: string;
}

export interface ManifestDefaults {
  /** Foundation model id or inference-profile id used when an agent names none; infra stack config may override. */
  model: string;
  idleSessionTtlSeconds: number;
  /** Calendar month (1-12) the fiscal year starts in; 1 = calendar quarters. */
  fiscalYearStartMonth: number;
}

export type AgentRole = 'supervisor' | 'collaborator';
export type AgentCollaboration = 'SUPERVISOR' | 'SUPERVISOR_ROUTER' | 'DISABLED';

export interface ManifestAgent {
  name: string;
  role: AgentRole;
  /** 1..200 characters (Bedrock agent description). */
  description: string;
  /** The analyst's own instruction text, as written in the spec. */
  instruction: string;
  /**
   * What Bedrock receives as the agent instruction: the own text plus, for a supervisor, each collaborator's
   * description and routing examples as few-shot guidance, and for every agent its skills' answer formats.
   * 40..20000 characters.
   */
  compiledInstruction: string;
  model?: string;
  idleSessionTtlSeconds: number;
  /** Supervisors only; 'DISABLED' for collaborators. */
  collaboration: AgentCollaboration;
  /** Supervisors only; in spec order (order matters for serialized association). */
  collaborators: ManifestCollaborator[];
  /** Tool names this agent may call, sorted. */
  tools: string[];
  /** Tools grouped into Bedrock action groups (one per tool `group`), sorted by name. */
  actionGroups: ManifestActionGroup[];
  /** What the offline engine runs; what Bedrock gets as guidance. In spec order. */
  skills: ManifestSkill[];
  /** Routing examples that target this agent (collaborators), from the routes specs. */
  routingExamples: string[];
  knowledgeBase?: { description: string };
  /** Spec file this agent came from, relative to the repo root (for messages only). */
  source: string;
}

export interface ManifestCollaborator {
  agent: string;
  /** Collaboration instruction, 1..4000 characters: when the supervisor should hand work to this agent. */
  instruction: string;
  relayConversationHistory: 'TO_COLLABORATOR' | 'DISABLED';
}

export interface ManifestActionGroup {
  /** Bedrock action group name. */
  name: string;
  description: string;
  /** Tool names (= Bedrock function names) in this group, sorted. */
  tools: string[];
}

export interface ManifestSkill {
  name: string;
  description?: string;
  /** Example questions this skill answers (offline skill selection). */
  examples: string[];
  steps: ManifestSkillStep[];
  /** Liquid template rendered with `{ question, params, <step tool name>: ToolResult-like {rows, columns, rowCount} }`. */
  answer: string;
}

export interface ManifestSkillStep {
  tool: string;
  /** Optional alias for this step's result in templates; defaults to the tool name. */
  as?: string;
  /** Explicit parameter values: Liquid expressions over earlier steps (`"{{ deal_lookup.rows[0].account_name }}"`). */
  with: Record<string, string>;
  /** When true, a step with no rows does not stop the skill (the template handles the empty case). */
  optional: boolean;
}

export type ToolKind = ManifestTool['kind'];
/** read: looks only; write: changes a system of record; notify: sends something outside. */
export type ToolEffect = 'read' | 'write' | 'notify';
export type ApprovalPolicy = 'required' | 'none';
export type ParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'array';

/** What every tool has, whatever its kind. */
interface ToolBase {
  name: string;
  /** 1..1200 characters (Bedrock function description). */
  description: string;
  /** What the tool does for the user, as a plain verb phrase ("read the call notes"); answers name it when it fails. */
  task: string;
  /** Action group this tool belongs to. */
  group: string;
  /** By kind (compiler/defaults.ts DEFAULT_EFFECT) unless the spec raises it. */
  effect: ToolEffect;
  /** `required`: every call waits for a person to approve its preview (default for write and notify; reads: none). */
  approval: ApprovalPolicy;
  /** In spec order. */
  parameters: ManifestParameter[];
  /** Row cap for sql / sql_query results. */
  maxRows: number;
  timeoutMs: number;
  /** Result size budget in characters for the text handed back to a model. */
  maxResultChars: number;
  retries: number;
  source: string;
}

export interface SqlTool extends ToolBase {
  kind: 'sql';
  /** The statement with `:name` placeholders. */
  sql: string;
}

/** A read-only statement the caller (a model) writes, checked by the runtime's read-only guard. */
export interface SqlQueryTool extends ToolBase {
  kind: 'sql_query';
}

export interface SqlWriteTool extends ToolBase {
  kind: 'sql_write';
  /** table -> writable columns; `key` columns identify rows for updates. */
  write: { tables: Record<string, WriteTable> };
}

export interface GongTool extends ToolBase {
  kind: 'gong';
  /** Environment variable names of the access key pair and base URL. */
  gong: { accessKeyEnv: string; accessKeySecretEnv: string; baseUrlEnv: string };
}

export interface WebSearchTool extends ToolBase {
  kind: 'web_search';
  /** The HTTP search provider. */
  provider: { name: string; url: string; apiKeyEnv: string };
}

export interface WebhookTool extends ToolBase {
  kind: 'webhook';
  /** The environment variable holding the default destination, when a call names no url. */
  targetEnv?: string;
  /** URL patterns POSTs may go to (exact origin+path prefix, `*` wildcard in host labels). */
  allow: string[];
}

export interface KnowledgeTool extends ToolBase {
  kind: 'knowledge';
}

export interface MetricsTool extends ToolBase {
  kind: 'metrics';
  /** The whole metrics layer the tool answers from (its parameters are generated from it). */
  metrics: { models: ManifestMetricModel[]; fiscalYearStartMonth: number };
}

/** One tool, with the fields of its kind (the tool schema requires them per kind, compiler/schema/tool.ts). */
export type ManifestTool = SqlTool | SqlQueryTool | SqlWriteTool | GongTool | WebSearchTool | WebhookTool | KnowledgeTool | MetricsTool;

/** The tool of one kind: what that kind's executor receives (runtime/tools/executors.ts). */
export type ToolOfKind<K extends ToolKind> = Extract<ManifestTool, { kind: K }>;

export interface WriteTable {
  columns: string[];
  key: string[];
  operations: Array<'insert' | 'update'>;
  /** column -> the only values it may take; checked before an approval is asked, and again when written. */
  enums: Record<string, string[]>;
}

/** True when a call of this tool must wait for a person's approval. */
export const needsApproval = (tool: Pick<ManifestTool, 'effect' | 'approval'>): boolean =>
  tool.effect !== 'read' && tool.approval === 'required';

export type MeasureFormat = 'money' | 'count' | 'percent' | 'days' | 'number';

/**
 * One metrics model: measures and dimensions over one base table. Measure names are unique across the whole layer
 * (a question names a measure without saying the model); dimensions belong to their model. SQL pieces are trusted spec text, values a
 * query filters by are always bound parameters.
 */
export interface ManifestMetricModel {
  name: string;
  description?: string;
  /** What answers call the records, plural ("deals"). */
  records: string;
  table: string;
  /** The date column periods filter on; `snapshot`: each period holds a snapshot, a query reads the latest one. */
  time: { column: string; description: string; snapshot: boolean };
  /** join name -> joined table and condition (the joined table is aliased by the join's name). */
  joins: Record<string, { table: string; on: string }>;
  /** Sorted by name. */
  measures: ManifestMeasure[];
  /** Sorted by name. */
  dimensions: ManifestDimension[];
  source: string;
}

export interface ManifestMeasure {
  name: string;
  description: string;
  /** Aggregate expression over the base table's columns. */
  sql: string;
  /** Conditions every use applies, in spec order. */
  filters: string[];
  format: MeasureFormat;
  synonyms: string[];
}

export interface ManifestDimension {
  name: string;
  description: string;
  column: string;
  join?: string;
  type: 'string' | 'number';
  synonyms: string[];
}

/** Time grains a metric query may group by, besides the dimensions; `fiscal_year` follows `fiscalYearStartMonth`. */
export const TIME_GRAINS = ['day', 'week', 'month', 'quarter', 'year', 'fiscal_year'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

export interface ManifestParameter {
  name: string;
  type: ParameterType;
  required: boolean;
  /** 1..500 characters (Bedrock parameter description). */
  description: string;
  enum?: string[];
  default?: string | number | boolean;
  /** How the offline engine fills this parameter from a question. */
  resolve?: ParameterResolve;
}

export type ParameterResolve =
  /** Fuzzy-match a name in the question against the distinct values of `table.column` in the warehouse. */
  | { values: string }
  /** Parse a date phrase ("this quarter", "Q4", "last 30 days", "this week"); this parameter gets its start or end. */
  | { date: 'start' | 'end'; default?: string }
  /** A number in the question ("top 5", "over $100k"); `default` when absent. */
  | { number: true; default?: number }
  /** The question text itself (e.g. a web search query or a model-written SQL statement). */
  | { text: true }
  /** The one field of write table `change` the question names and its new value, as a JSON object (enums checked). */
  | { change: string }
  /** Who a notification is for, or what it says, read from "let X know …", "tell X that …", "notify X: …". */
  | { notify: 'recipient' | 'message' };

export interface ManifestRoutes {
  supervisor: string;
  /** Minimum routing accuracy `revops eval` accepts, 0..1. */
  threshold: number;
  /** collaborator name -> example utterances, sorted by collaborator. */
  routes: Record<string, string[]>;
  source: string;
}

export type ManifestChannel = ManifestSlackChannel | ManifestWebhookChannel;

interface ManifestChannelBase {
  name: string;
  /** Entry agent: always a supervisor. */
  entry: string;
  ingress: LambdaSettings;
  processor: LambdaSettings;
  queue: QueueSettings;
  /** Log retention for this channel's functions, days. */
  logRetentionDays: number;
  approval: ChannelApproval;
  source: string;
}

/** Who may approve an action asked for in a channel: the person who asked, named Slack users, or a user group. */
export type Approvers = { kind: 'asker' } | { kind: 'users'; users: string[] } | { kind: 'usergroup'; usergroup: string };

export interface ChannelApproval {
  approvers: Approvers;
  /** A proposed action not decided within this many seconds expires; nothing is done. */
  expiresAfterSeconds: number;
}

export interface LambdaSettings {
  memoryMb: number;
  timeoutSeconds: number;
}

export interface QueueSettings {
  /** At least 6 x processor.timeoutSeconds (AWS guidance for SQS event sources). */
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceives: number;
}

export interface ManifestSlackChannel extends ManifestChannelBase {
  kind: 'slack';
  botName: string;
  /** Posted in the thread at once, before any agent work (the seed's "diving in" message). */
  acknowledgement: string;
  progress: { minIntervalMs: number; maxUpdates: number };
}

export interface ManifestWebhookChannel extends ManifestChannelBase {
  kind: 'webhook';
  /** `none` only when the spec says so explicitly. */
  auth: { bearer: boolean; hmac: boolean } | 'none';
  limits: { maxQueryChars: number; maxBodyBytes: number; ratePerMinute: number };
  /** URL patterns a per-request `callback_url` must match. */
  callbackAllow: string[];
  delivery: { attempts: number; timeoutSeconds: number };
  /** Days a request's status record and its idempotency claims are kept (locally swept; on S3 a lifecycle rule). */
  statusRetentionDays: number;
}

export const isSlackChannel = (c: ManifestChannel): c is ManifestSlackChannel => c.kind === 'slack';
export const isWebhookChannel = (c: ManifestChannel): c is ManifestWebhookChannel => c.kind === 'webhook';

/**
 * The environment variable a deployed function reads a channel's queue URL from (infra sets it, the runtime reads
 * it): REVOPS_QUEUE_URL_ and the channel name in upper case with `-` as `_` (names may hold both; variables may not).
 */
export const queueUrlVariable = (channelName: string): string => `REVOPS_QUEUE_URL_${channelName.toUpperCase().replace(/-/g, '_')}`;

/** The variable carrying a deployment's model override (infra sets it from `revops:model`, the engines read it). */
export const MODEL_OVERRIDE_VARIABLE = 'REVOPS_MODEL';

/**
 * The model an agent runs: its own, else the deployment's override (`revops:model`, which infra passes to the
 * processor as REVOPS_MODEL), else the manifest default. The one rule the engines call by and the IAM policy
 * allows, so the two cannot disagree.
 */
export const agentModel = (manifest: Manifest, agent: ManifestAgent, override?: string): string =>
  agent.model ?? (override?.trim() || undefined) ?? manifest.defaults.model;

/**
 * A model id split into its inference-profile geography (`us.`, `eu.`, `apac.`, `global.`, ...: three or more
 * dot-separated parts before the version) and the foundation model it serves (`anthropic.claude-sonnet-4-6`).
 */
export function splitModelId(modelId: string): { geography?: string; foundationModel: string } {
  const segments = modelId.split(':')[0]!.split('.');
  if (segments.length < 3) return { foundationModel: modelId };
  return { geography: segments[0]!, foundationModel: modelId.slice(segments[0]!.length + 1) };
}

/**
 * The size an action-group Lambda's response must stay under on the bedrock-agents engine: the tool executor keeps
 * every response, as JSON, a margin below it, and `revops plan` refuses a tool budget (`max_result_chars`) that could
 * pass it. AWS documents the response's shape ("Lambda response event for Amazon Bedrock",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/agents-lambda.html) but states no size there that we could
 * find, nor on the quotas page (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html); 25 KB is the cap
 * reported for Bedrock Agents, read here as 25,000 bytes, the smaller of 25 KB and 25 KiB. Lambda's own cap is far
 * above it ("Invocation payload (request and response)": 6 MB synchronous,
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). Confirm the figure there before raising it.
 */
export const ACTION_GROUP_RESPONSE_MAX_BYTES = 25_000;

/** Tool kinds whose call changes something outside (a row written, a message sent): never run twice by a retry. */
export const SIDE_EFFECT_KINDS: ReadonlySet<ToolKind> = new Set(['sql_write', 'webhook']);

/**
 * Answer evaluation suites (`specs/evals/*.yaml`), compiled to build/evals.json beside the manifest and read by
 * `revops eval`. Kept out of the manifest: cases are for checking the agents, not part of what is deployed, so
 * editing one never changes the manifest's hash.
 */
export interface EvalSuite {
  suite: string;
  supervisor: string;
  thresholds: { routing: number; answers: number };
  cases: EvalCase[];
  /** Spec file, relative to the repo root. */
  source: string;
}

export type EvalFactFormat = 'text' | 'count' | 'money' | 'percent' | 'date';

export interface EvalCase {
  ask: string;
  /** Questions asked before, in the same session. */
  after: string[];
  kind: string;
  /** The collaborator that must answer, or the supervisor itself. */
  agent: string;
  skill?: string;
  tools: string[];
  says: string[];
  facts: Array<{ sql: string; as: EvalFactFormat }>;
  neverSays: string[];
  /** true: must name a part not done; false: must name none; absent: not judged. */
  declares?: boolean;
  /** false: no tool that writes or notifies may be called. */
  sideEffects: boolean;
  /** `file:line` of the case, for failure reports. */
  at: string;
}

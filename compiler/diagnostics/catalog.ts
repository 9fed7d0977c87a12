/**
 * Every message the compiler can report, defined once. Codes are stable and grouped by phase:
 * RV1xxx loading YAML, RV2xxx schema (shape), RV3xxx references and structure, RV4xxx Bedrock/AWS limits,
 * RV5xxx SQL and templates, RV6xxx style warnings (`--strict` turns them into errors).
 * A code is never reused; test/compiler/catalog.test.ts fails on a duplicate or on an entry no fixture covers.
 * `{n}` are arguments; `suggestion` is the "did you mean" variant (its last argument is the suggestion).
 */
/** An error fails the build; a warning does only under `--strict`. */
export type Category = 'error' | 'warning';

export interface CatalogEntry {
  code: string;
  category: Category;
  message: string;
  suggestion?: string;
}

const e = (code: string, message: string, suggestion?: string): CatalogEntry =>
  suggestion ? { code, category: 'error', message, suggestion } : { code, category: 'error', message };
const w = (code: string, message: string): CatalogEntry => ({ code, category: 'warning', message });
const dym = (message: string, n: number): string => `${message} (did you mean '{${n}}'?)`;
type Suggesting = CatalogEntry & { suggestion: string };

export const catalog = {
  // RV1xxx: loading
  yamlSyntax: e('RV1001', 'YAML syntax error: {0}'),
  emptyFile: e('RV1002', 'empty spec file: a {0} spec needs at least {1}'),
  wrongKind: e('RV1003', 'this looks like a {0} spec but it is in specs/{1}/; move it to specs/{2}/'),
  notAMapping: e('RV1004', 'a spec must be a YAML mapping of fields (key: value), not {0}'),
  multipleDocuments: e('RV1005', 'one spec per file: found {0} YAML documents'),
  tooDeep: e('RV1013', 'nested too deeply: this list or mapping is inside {0} others, the most a spec allows; flatten the structure'),
  notUtf8: e('RV1012', 'not UTF-8: this byte begins no character (the file is in another encoding, perhaps Latin-1 or Windows-1252); save the file as UTF-8'),
  knowledgeFrontMatter: e('RV1010', "a knowledge document starts with front matter: a '---' line, title, agents and tags as YAML, then a '---' line"),
  strayFile: w('RV1006', 'ignored: spec files belong in {0}'),
  notRegularFile: e('RV1007', 'not read: a {0} is not a regular file; specs/ holds only files and folders, and links are not followed (a spec must be a file of the project)'),
  fileTooLarge: e('RV1008', 'not read: the file is {0} bytes; a spec file may have at most {1} bytes'),
  aliasLimit: e('RV1009', 'this alias brings the nodes that aliases repeat past {0}; a spec may repeat anchored blocks for at most {0} nodes in all (a limit against alias bombs)'),
  unreadable: e('RV1011', 'cannot read: {0} ({1}); nothing in it is checked until the user running revops may read it'),
  // RV2xxx: schema
  missingField: e('RV2001', "missing required field '{0}'{1}"),
  unknownField: e('RV2002', "unknown field '{0}'", dym("unknown field '{0}'", 1)) as Suggesting,
  wrongType: e('RV2003', '{0} must be {1}, not {2}'),
  notAllowed: e('RV2004', "{1} is '{0}'; allowed: {2}", dym("{1} is '{0}'; allowed: {2}", 3)) as Suggesting,
  patternMismatch: e('RV2005', "{0} '{1}' does not have the form {2}"),
  emptyList: e('RV2006', '{0} must not be empty'),
  noMatchingForm: e('RV2007', '{0} must have exactly one of: {1}'),
  // RV3xxx: references and structure
  unknownTool: e('RV3001', "unknown tool '{0}'", dym("unknown tool '{0}'", 1)) as Suggesting,
  unknownCollaborator: e('RV3002', "unknown agent '{0}'", dym("unknown agent '{0}'", 1)) as Suggesting,
  stepToolNotInAgent: e('RV3003', "tool '{0}' is not in this agent's tools; add it to tools",
    dym("tool '{0}' is not in this agent's tools", 1)) as Suggesting,
  unknownStepParameter: e('RV3004', "tool '{1}' has no parameter '{0}'",
    dym("tool '{1}' has no parameter '{0}'", 2)) as Suggesting,
  unknownRoutesSupervisor: e('RV3005', "unknown supervisor '{0}'", dym("unknown supervisor '{0}'", 1)) as Suggesting,
  routeNotCollaborator: e('RV3006', "'{0}' is not a collaborator of '{1}'",
    dym("'{0}' is not a collaborator of '{1}'", 2)) as Suggesting,
  unknownChannelEntry: e('RV3007', "unknown entry agent '{0}'", dym("unknown entry agent '{0}'", 1)) as Suggesting,
  entryNotSupervisor: e('RV3008', "entry '{0}' is a collaborator; a channel must enter at a supervisor"),
  routesNotSupervisor: e('RV3009', "'{0}' is a collaborator; routes belong to a supervisor"),
  duplicateAgent: e('RV3010', "duplicate agent name '{0}'"),
  duplicateTool: e('RV3011', "duplicate tool name '{0}'"),
  duplicateRoutes: e('RV3012', "routes for supervisor '{0}' are already defined"),
  duplicateChannel: e('RV3013', "duplicate channel name '{0}'"),
  duplicateSkill: e('RV3014', "duplicate skill name '{0}' in this agent"),
  duplicateCollaborator: e('RV3015', "'{0}' is listed twice as a collaborator"),
  duplicateRoutingExample: e('RV3016', "routing example is also listed for '{0}'; each utterance must route to one collaborator"),
  collaboratorOfTwo: e('RV3020', "'{0}' is already a collaborator of '{1}'; collaborators form a tree under one supervisor"),
  collaboratorCycle: e('RV3021', 'collaborator cycle: {0}'),
  noCollaborators: e('RV3022', "supervisor '{0}' has no collaborators; list at least one under collaborators"),
  tooManyCollaborators: e('RV3023', 'supervisor has {0} collaborators; Bedrock allows at most 10'),
  supervisorOnlyField: e('RV3024', "'{0}' applies to supervisors only; set role: supervisor or remove it"),
  evalsNotSupervisor: e('RV3030', "'{0}' is a collaborator; an eval suite asks a supervisor"),
  evalAgentUnreachable: e('RV3031', "'{0}' is neither '{1}' nor one of its collaborators",
    dym("'{0}' is neither '{1}' nor one of its collaborators", 2)) as Suggesting,
  unknownEvalSkill: e('RV3032', "agent '{1}' has no skill '{0}'", dym("agent '{1}' has no skill '{0}'", 2)) as Suggesting,
  duplicateEvalSuite: e('RV3033', "eval suite '{0}' is already defined"),
  duplicateEvalCase: e('RV3034', 'the same question (after the same history) is already case {0} of this suite'),
  knowledgeWithoutTool: e('RV3040', "agent '{0}' uses this document but has no knowledge tool (a tool of kind knowledge) in its tools"),
  brokenLink: e('RV3041', "link to unknown {1} '{0}'", dym("link to unknown {1} '{0}'", 2)) as Suggesting,
  duplicateMetric: e('RV3042', "metric '{0}' is already defined in {1}"),
  readEffectOnChangingKind: e('RV3050', "a {0} tool {1}: its effect cannot be 'read' (it would run without anyone approving it); remove effect or set {2}"),
  approvalOnReadTool: e('RV3051', "approval applies to write and notify tools; this tool's effect is read (set effect: write or notify, or remove approval)"),
  approversOutsideSlack: e('RV3052', 'approvers other than asker are Slack users; a {0} channel\'s actions are approved by the caller who asked (approvers: asker)'),
  enumNotWritable: e('RV3053', "enums names column '{0}', which is not a writable column of {1}", dym("enums names column '{0}', which is not a writable column of {1}", 2)) as Suggesting,
  duplicateMeasure: e('RV3060', "measure '{0}' is already defined; a question names a measure without its model, so names are unique across specs/metrics"),
  duplicateMetricModel: e('RV3061', "duplicate metrics model name '{0}'"),
  unknownMetricJoin: e('RV3062', "unknown join '{0}'; add it under joins", dym("unknown join '{0}'", 1)) as Suggesting,
  unknownMeasure: e('RV3063', "unknown measure '{0}'", dym("unknown measure '{0}'", 1)) as Suggesting,
  unknownDimension: e('RV3064', "measure '{1}' has no dimension or time grain '{0}'", dym("measure '{1}' has no dimension or time grain '{0}'", 2)) as Suggesting,
  metricsToolWithoutMetrics: e('RV3065', "tool '{0}' has kind metrics but specs/metrics defines no measure; add a metrics spec or change the kind"),
  // RV4xxx: Bedrock and AWS limits
  invalidName: e('RV4001', "'{0}' is not a valid name: letters and digits, each optionally followed by one '_' or '-', at most 100 (Bedrock pattern ^([0-9a-zA-Z][_-]?){1,100}$)"),
  lengthOutOfRange: e('RV4002', '{0} is {1} characters long; allowed {2}..{3}'),
  valueOutOfRange: e('RV4003', '{0} is {1}; allowed {2}..{3}'),
  instructionLength: e('RV4004', 'compiled instruction is {0} characters; Bedrock allows 40..20000 (own text {1}, collaborators and routing examples {2}, answer formats {3})'),
  visibilityTimeout: e('RV4005', 'queue visibility timeout {0}s is under 6 x processor timeout ({1}s): SQS would hand a message to a second processor while the first still works on it; set at least {2}'),
  // RV5xxx: SQL and templates
  sqlSyntax: e('RV5001', 'SQL does not parse: {0}'),
  undeclaredSqlParameter: e('RV5002', "':{0}' is not a declared parameter of this tool",
    dym("':{0}' is not a declared parameter of this tool", 1)) as Suggesting,
  writeInReadOnly: e('RV5003', 'kind {0} is read-only: the statement must be a SELECT (or WITH … SELECT); use kind sql_write with a write map for changes'),
  multipleStatements: e('RV5004', 'a tool runs one statement; found {0}'),
  templateSyntax: e('RV5005', 'template does not parse: {0}'),
  unknownTemplateStep: e('RV5006', "'{0}' is no step of this skill (nor question, params, now)",
    dym("'{0}' is no step of this skill", 1)) as Suggesting,
  laterStep: e('RV5007', "'{0}' is read before its step runs; a step may only read earlier steps"),
  templateLoopLimit: e('RV5008', 'loops over literal ranges run {0} times here; a template may ask for at most {1} iterations, as many rows as a tool may return'),
  unknownFactParameter: e('RV5009', "':{0}' is not a fact parameter; a fact's SQL may use :today only",
    dym("':{0}' is not a fact parameter; a fact's SQL may use :today only", 1)) as Suggesting,
  evalFactNotSelect: e('RV5010', 'an eval fact is read from the warehouse: the query must be one SELECT (or WITH … SELECT)'),
  unknownTable: e('RV5011', "unknown table '{0}': the warehouse schema (specs/warehouse) has no such table",
    dym("unknown table '{0}'", 1)) as Suggesting,
  unknownColumn: e('RV5012', "unknown column '{0}' (not in {1})", dym("unknown column '{0}' (not in {1})", 2)) as Suggesting,
  unknownStepField: e('RV5013', "'{0}' is no field of a step's result (ok, rows, columns, row_count, total_rows, totals, truncated, text, error)",
    dym("'{0}' is no field of a step's result", 1)) as Suggesting,
  unknownRowField: e('RV5014', "'{0}' is no column of what '{1}' returns", dym("'{0}' is no column of what '{1}' returns", 2)) as Suggesting,
  unknownTotal: e('RV5015', "'{0}' is not among the totals of '{1}': its SQL has no matched_{0} column",
    dym("'{0}' is not among the totals of '{1}'", 2)) as Suggesting,
  unknownMetricTable: e('RV5016', "unknown table '{0}' in {1}: the warehouse schema (specs/warehouse) has no such table",
    dym("unknown table '{0}' in {1}", 2)) as Suggesting,
  unknownMetricColumn: e('RV5017', "{1} reads column '{0}', which table '{2}' does not have",
    dym("{1} reads column '{0}', which table '{2}' does not have", 3)) as Suggesting,
  unknownMetricSqlColumn: e('RV5018', "unknown column '{0}' in {1} (not in {2})", dym("unknown column '{0}' in {1} (not in {2})", 3)) as Suggesting,
  metricSqlSyntax: e('RV5019', '{0} does not parse as SQL: {1}'),
  timeColumnNotDate: e('RV5020', "time column '{0}' is {1} in table '{2}'; periods and time grains need a DATE or TIMESTAMP column"),
  notReadQuery: e('RV5021', 'the read-only SQL guard refuses this statement: {0}'),
  unknownTemplateFilter: e('RV5022', "unknown filter '{0}'", dym("unknown filter '{0}'", 1)) as Suggesting,
  templateFileTag: e('RV5023', "{% {0} %} reads another template, and templates have no files to read; write its text here"),
  // RV6xxx: style warnings
  noRoutingExamples: w('RV6001', "collaborator '{0}' has no routing examples; add some to specs/routes/{1}.yaml"),
  fewRoutingExamples: w('RV6002', "collaborator '{0}' has {1} routing examples; at least 8 are recommended"),
  unusedTool: w('RV6003', "tool '{0}' is used by no agent"),
  unusedSqlParameter: w('RV6004', "parameter '{0}' is not used in the SQL"),
  fileNameMismatch: w('RV6005', "file name does not match the spec name '{0}'; rename the file to {0}.yaml"),
  orphanCollaborator: w('RV6006', "collaborator '{0}' is under no supervisor"),
  supervisorWithoutRoutes: w('RV6007', "supervisor '{0}' has no routes; add specs/routes/{0}.yaml"),
  approvalOff: w('RV6011', 'approval: none — every call of this {0} tool runs without a person approving a preview first'),
  limitWithoutTotal: w('RV6009', "the SQL ends with {0} but does not count what matched, so answers would report only the rows the LIMIT lets through; add COUNT(*) OVER () AS matched_rows"),
  noWarehouseSchema: w('RV6010', 'no warehouse schema in specs/warehouse, so the tables and columns of SQL tools and the fields templates read are not checked; run `revops data schema` to write one'),
  missingSchemaLine: w('RV6008', "first line should be '# yaml-language-server: $schema=../../compiler/schemas/{0}.schema.json' so editors complete and check fields"),
} as const satisfies Record<string, CatalogEntry>;

export type CatalogKey = keyof typeof catalog;

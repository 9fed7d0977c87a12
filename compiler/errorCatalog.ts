/**
 * Every code a runtime or infra error carries (`CodedError`, `codedError.ts`), defined once: what it means and what
 * the person who sees it should do. The compiler's own user mistakes are diagnostics (`diagnostics/catalog.ts`), not
 * these. A code is never reused for another meaning; one code may be raised by several layers when it means the same
 * there (`timeout` from the warehouse, the outbound guard and a tool). test/architecture/errorCatalog.test.ts fails
 * on a thrown code missing here and on an entry nothing raises.
 */

export interface ErrorCodeEntry {
  meaning: string;
  /** What to do about it: the fix for a configuration or input mistake, or what happens next on its own. */
  action: string;
}

export const ERROR_CATALOG = {
  // Configuration (runtime/config.ts, runtime/lambda)
  config_invalid: {
    meaning: 'An environment variable the runtime reads has a value it cannot use; the message names the variable.',
    action: 'Set the variable to a value of the kind the message says (README, "Configuration"), then start again.',
  },
  lambda_config_invalid: {
    meaning: 'A Lambda function is missing a setting, secret or file the deployment gives it.',
    action: 'Redeploy (`npm run build`, `pulumi up`), or set the secret the message names.',
  },
  // The local server (runtime/server/listen.ts)
  port_in_use: {
    meaning: 'Another process listens on the port `revops serve` was asked to use.',
    action: 'Stop that process or pass another `--port` (PORT).',
  },
  listen_failed: {
    meaning: 'The server could not listen on the address and port (permission, address not on this host).',
    action: 'Check HOST and PORT; ports below 1024 need privileges.',
  },
  // The project the CLI loads (runtime/cli/loadProject.ts)
  specs_invalid: {
    meaning: 'The specs do not compile, so there is no manifest to run.',
    action: 'Fix what `revops validate` reports.',
  },
  warehouse_unavailable: {
    meaning: 'The warehouse could not be opened or created.',
    action: 'Check REVOPS_WAREHOUSE_PATH or the Firebolt settings, or run `revops data seed`.',
  },
  warehouse_locked: {
    meaning: 'Another process holds the DuckDB warehouse file open for writing.',
    action: 'Stop the other `revops` process (or `revops data seed`) using it, then retry.',
  },
  // The warehouse (runtime/warehouse); the same codes come back from sql tools
  syntax: {
    meaning: 'The warehouse refused the SQL as not valid.',
    action: "Fix the tool's SQL; `revops validate` checks it against the warehouse schema.",
  },
  parameter: {
    meaning: "A query parameter does not fit its placeholder (missing, wrong type).",
    action: "Check the tool's parameters against the placeholders in its SQL.",
  },
  connection: {
    meaning: 'The warehouse could not be reached or refused the credentials.',
    action: 'Check the FIREBOLT_* settings (`revops doctor`).',
  },
  execution: {
    meaning: 'The warehouse or a tool failed while running a request that was valid.',
    action: 'Read the message; retry, or fix the data or the tool it names.',
  },
  locked: {
    meaning: 'The DuckDB warehouse file is locked by another process.',
    action: 'Stop the other process using the file, then retry.',
  },
  timeout: {
    meaning: 'A query, an outbound request or a tool took longer than its time limit.',
    action: "Narrow the question or raise the tool's `timeout_ms`; a transient slowness passes on retry.",
  },
  too_large: {
    meaning: 'A result or response was larger than its cap.',
    action: "Narrow the question, or lower the tool's LIMIT; the cap protects the process.",
  },
  // Outbound HTTP (runtime/net)
  refused: {
    meaning: 'A request or call was refused: an outbound address that is restricted or off the allowlist, or a tool call a rule forbids.',
    action: 'Use an allowed public URL (the channel or tool allowlist); the message says which rule refused it.',
  },
  redirect: {
    meaning: 'An outbound request was answered with a redirect, which the guard never follows.',
    action: 'Configure the final URL the redirect points to.',
  },
  network: {
    meaning: 'An outbound request failed at the network (DNS, connection reset, TLS).',
    action: 'Check the host is reachable from here; transient failures are retried where that is safe.',
  },
  // The toolbox (runtime/tools); a tool result's `error.code`
  unknown_tool: {
    meaning: 'A tool was called by a name the manifest does not define.',
    action: 'Use a tool name from specs/tools/ (the message suggests the nearest).',
  },
  invalid_parameter: {
    meaning: 'A tool parameter is missing, of the wrong type or outside its allowed values.',
    action: "Call the tool with the parameters its spec declares.",
  },
  not_configured: {
    meaning: 'A tool needs a credential or setting that is not set here.',
    action: 'Set the variable the message names (`revops doctor` lists them).',
  },
  upstream: {
    meaning: 'The service a tool calls answered with an error.',
    action: 'Read the status in the message; retry later, or fix the request the tool sends.',
  },
  approval_required: {
    meaning: 'A write or notify tool was called without an approved action; it waits for a person.',
    action: 'Approve or reject the pending action (Slack buttons, the webhook decision, `revops ask --yes`).',
  },
  // Stores (runtime/aws/s3Objects.ts, runtime/sessions, runtime/channels/webhook)
  store_denied: {
    meaning: 'S3 refused an object read or write: the role lacks the permission.',
    action: "Redeploy (`pulumi up`) so the function's role has the grant, or check the bucket settings.",
  },
  store_unavailable: {
    meaning: 'S3 could not be reached or failed the request.',
    action: 'Retry; the queue offers the message again.',
  },
  store_conflict: {
    meaning: 'Conditional writes kept losing to concurrent writers.',
    action: 'Retry; the queue offers the message again.',
  },
  claim_contended: {
    meaning: "The webhook's idempotency claim kept changing while it was written.",
    action: 'Retry the request with the same Idempotency-Key.',
  },
  session_conflict: {
    meaning: "A conversation's turns kept changing under concurrent writers beyond the retries.",
    action: 'Ask again; both turns are kept once the writers stop racing.',
  },
  // The queue (runtime/queue)
  queue_closed: {
    meaning: 'The queue was used after it was closed in this process.',
    action: 'A shutdown was in progress; start the process again.',
  },
  queue_locked: {
    meaning: "Another process holds the local queue's journal.",
    action: 'Stop the other `revops serve` using the same REVOPS_DATA_DIR, or give this one its own.',
  },
  unknown_receipt: {
    meaning: 'A receipt was no longer valid (already acknowledged, released, or its visibility timeout passed).',
    action: 'Nothing: the message is held by another consumer or was handled.',
  },
  send_failed: {
    meaning: 'A message could not be made durable on the queue.',
    action: 'The request is refused, not lost; retry it. Check the queue (SQS permissions, disk space).',
  },
  queue_unavailable: {
    meaning: 'The queue could not be reached.',
    action: 'Retry later; check the SQS queue URL and permissions (`revops doctor`).',
  },
  message_malformed: {
    meaning: 'A message on the queue is not an InboundMessage.',
    action: 'Move it off the queue by hand; it did not come from this runtime.',
  },
  // Slack (runtime/channels/slack)
  slack_enqueue_failed: {
    meaning: 'A Slack event could not be queued, so Slack is asked to retry it.',
    action: 'Nothing, unless it repeats: then check the queue.',
  },
  slack_not_acknowledged: {
    meaning: 'A Slack event was not acknowledged within Slack\'s time, so Slack retries it.',
    action: 'Nothing, unless it repeats: then check the event loop is not saturated.',
  },
  slack_web_api_failed: {
    meaning: 'A Slack Web API call (post or update a message) failed.',
    action: 'Check SLACK_BOT_TOKEN and that the app is in the channel; transient failures are retried.',
  },
  slack_bad_request: {
    meaning: 'A Slack request lacked what it needs (channel, message or user).',
    action: 'Nothing: it is ignored.',
  },
  // Processing and delivery (runtime/processing, runtime/channels/webhook)
  channel_not_configured: {
    meaning: "A message arrived for a channel kind this process has no delivery for.",
    action: 'Configure the channel (specs/channels/ and its settings), or route its queue to a process that has it.',
  },
  in_progress: {
    meaning: 'Another delivery of the same message is being processed.',
    action: 'Nothing: the queue offers it again, and it is answered once.',
  },
  delivery_failed: {
    meaning: "The answer could not be delivered (the webhook callback kept failing, or the channel's delivery failed).",
    action: 'Check the callback URL answers 2xx; the queue retries, then dead-letters with status `failed`.',
  },
  // The offline engine (runtime/engines/offline)
  template_invalid: {
    meaning: "A skill's template in the manifest does not parse in the template dialect (compiler/liquid.ts): the manifest was not compiled from these specs by this version.",
    action: 'Run `revops validate`, fix the template it reports, then `revops compile` (and deploy the new manifest).',
  },
  // Bedrock Agents targets (runtime/engines/bedrockAgents)
  agent_not_configured: {
    meaning: 'The bedrock-agents engine has no agent id and alias id to invoke.',
    action: 'Set REVOPS_AGENT_ID and REVOPS_AGENT_ALIAS_ID, or REVOPS_STACK_OUTPUTS to the deployed stack outputs.',
  },
  agent_not_deployed: {
    meaning: 'The stack outputs name no deployed agent for the entry agent.',
    action: 'Deploy with `revops:engine bedrock-agents` (`pulumi up`), then export the stack outputs again.',
  },
  draft_alias_refused: {
    meaning: "The alias given is the draft alias, which runs unprepared changes.",
    action: "Use a deployed alias id (the stack outputs' aliasId).",
  },
  stack_outputs_invalid: {
    meaning: 'The stack outputs file cannot be read or is not the JSON `pulumi stack output --json` writes.',
    action: 'Write it again: `pulumi stack output --json > build/stack-outputs.json`.',
  },
  // infra (its messages start with the code: Pulumi prints only the message)
  RV_INFRA_CONFIG: {
    meaning: 'A stack setting is missing or not one the program accepts.',
    action: 'Set it as the message says (`pulumi config set …`).',
  },
  RV_INFRA_SPECS: {
    meaning: 'The specs do not compile, so there is nothing to deploy.',
    action: 'Fix what `revops validate` reports, then retry.',
  },
  RV_INFRA_MANIFEST: {
    meaning: 'The compiled manifest cannot be read.',
    action: 'Run `npm run revops -- compile`.',
  },
  RV_INFRA_BUNDLES: {
    meaning: 'A Lambda bundle `pulumi up` would upload is missing.',
    action: 'Run `npm run build` before `pulumi up`.',
  },
  RV_INFRA_VISIBILITY: {
    meaning: "A channel queue's visibility timeout is shorter than six times its processor's timeout.",
    action: "Raise the channel's `queue.visibility_timeout_s` or lower its processor timeout.",
  },
  RV_INFRA_CYCLE: {
    meaning: 'The agents name each other as collaborators in a circle.',
    action: 'Fix the agent specs so collaborators form a tree.',
  },
  RV_INFRA_AGENT: {
    meaning: 'An agent names a collaborator the manifest does not define.',
    action: 'Fix the agent spec (`revops validate` reports it too).',
  },
  RV_INFRA_TOOLS: {
    meaning: 'An action group and the tools it names do not match the deployment.',
    action: 'Rebuild the manifest from the specs (`revops compile`) and deploy again.',
  },
  RV_INFRA_PROFILE: {
    meaning: "A model's inference profile cannot be called from the stack's region (or its geography is unknown).",
    action: "Choose a model or profile offered in the stack's region (`revops:model`, the agent's model).",
  },
  RV_INFRA_S3_ARN: {
    meaning: 'A policy was given an S3 ARN that is not an object pattern.',
    action: 'A bug in the program: report it with the ARN.',
  },
  RV_INFRA_LIMIT: {
    meaning: '`revops plan` found a name or size over its AWS limit.',
    action: 'Shorten the name or value the line names (its limit is on the line).',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

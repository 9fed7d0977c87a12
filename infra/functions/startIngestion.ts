/**
 * The deploy-time function behind the knowledge base's `aws.lambda.Invocation` (the provider has no ingestion-job
 * resource): starts an ingestion job for the data source and waits for it, so `pulumi up` fails, naming Bedrock's
 * reasons, when the documents could not be ingested. Pulumi invokes it again whenever the documents' hash changes.
 * Bundled like the runtime's adapters (infra/bundle.ts); nothing of the runtime is imported.
 */
import { BedrockAgentClient, GetIngestionJobCommand, StartIngestionJobCommand } from '@aws-sdk/client-bedrock-agent';

export interface IngestionRequest {
  knowledgeBaseId: string;
  dataSourceId: string;
  /**
   * The documents' hash, in the job's description. Being part of the invocation's input, a new hash is what makes
   * Pulumi invoke again; no client token, so a deploy retried after a failed job starts a fresh one.
   */
  documentsHash: string;
}

export interface IngestionOutcome {
  ingestionJobId: string;
  status: string;
  statistics?: Record<string, number | undefined>;
}

export interface IngestionOptions {
  /** Milliseconds left before the function times out; waiting stops this far ahead of it. */
  remainingMs: () => number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DONE = new Set(['COMPLETE', 'FAILED', 'STOPPED']);
/** Stop waiting with this much time left, so the answer (not a timeout) reaches Pulumi. */
const MARGIN_MS = 5_000;

export async function ingest(client: BedrockAgentClient, request: IngestionRequest, options: IngestionOptions): Promise<IngestionOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const ids = { knowledgeBaseId: request.knowledgeBaseId, dataSourceId: request.dataSourceId };
  const started = await client.send(new StartIngestionJobCommand({
    ...ids, description: `revops documents ${request.documentsHash.slice(0, 16)}`,
  }));
  let job = started.ingestionJob;
  const ingestionJobId = job?.ingestionJobId;
  if (!ingestionJobId) throw new Error(`StartIngestionJob for knowledge base ${request.knowledgeBaseId} returned no job id`);
  while (!DONE.has(job?.status ?? '') && options.remainingMs() > MARGIN_MS + (options.pollMs ?? 5_000)) {
    await sleep(options.pollMs ?? 5_000);
    job = (await client.send(new GetIngestionJobCommand({ ...ids, ingestionJobId }))).ingestionJob;
  }
  const status = job?.status ?? 'UNKNOWN';
  if (status === 'FAILED' || status === 'STOPPED') {
    throw new Error(`ingestion job ${ingestionJobId} of knowledge base ${request.knowledgeBaseId} ended ${status}: ` +
      `${(job?.failureReasons ?? []).join('; ') || 'no reason given'}`);
  }
  // Still running when time ran out: the job goes on; the documents are searchable once it completes.
  return { ingestionJobId, status, ...(job?.statistics ? { statistics: { ...job.statistics } } : {}) };
}

let client: BedrockAgentClient | undefined;

export async function handler(event: IngestionRequest, context: { getRemainingTimeInMillis(): number }): Promise<IngestionOutcome> {
  client ??= new BedrockAgentClient({});
  return ingest(client, event, { remainingMs: () => context.getRemainingTimeInMillis() });
}

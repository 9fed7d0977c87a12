/**
 * Calls from the Gong REST API v2, as Gong documents it (the seed's client did not): Basic auth with the access key
 * and secret; `POST /v2/calls/extensive` with `filter.fromDateTime/toDateTime` and a `contentSelector` for parties,
 * CRM context and content (brief, trackers, highlights), paged by `records.cursor`; then
 * `POST /v2/calls/transcript` with `filter.callIds` for the matched calls. Gong cannot filter by account, so calls
 * are matched here on the CRM account name in the call's context, or on the title.
 */
import { fetchJson } from '../http/fetchJson.ts';
import type { ToolContext } from '../toolbox.ts';
import { CALL_COLUMNS, callRow, type CallQuery } from './callRows.ts';

export interface GongSettings {
  baseUrl: string;
  accessKey: string;
  accessKeySecret: string;
  /** Names of the variables, for messages. */
  keyEnv: string;
  timeoutMs: number;
}

/** Pages of /calls/extensive read before giving up on finding more matches (100 calls a page). */
const MAX_PAGES = 5;
const EXCERPT_CHARS = 1_500;
/** A page of 100 extensive call records, or the transcripts of up to max_rows calls: a few MB; far more is not Gong. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

interface GongField { name?: string; value?: unknown }
interface GongContext { objects?: Array<{ objectType?: string; fields?: GongField[] }> }
interface GongParty { name?: string; speakerId?: string; affiliation?: string; context?: GongContext[] }
interface GongTracker { name?: string; count?: number; phrases?: Array<{ phrase?: string; count?: number }> }
interface GongCall {
  metaData?: { id?: string; title?: string; started?: string; duration?: number };
  parties?: GongParty[];
  context?: GongContext[];
  content?: { brief?: string; trackers?: GongTracker[]; highlights?: Array<{ title?: string; items?: Array<{ text?: string }> }> };
}
interface GongPage { records?: { cursor?: string }; calls?: GongCall[] }
interface GongTranscripts { callTranscripts?: Array<{ callId?: string; transcript?: Array<{ speakerId?: string; sentences?: Array<{ text?: string }> }> }> }

export async function callsFromGong(ctx: ToolContext, settings: GongSettings, query: CallQuery, signal?: AbortSignal) {
  const request = (path: string, body: unknown) => fetchJson(ctx, {
    service: 'Gong', url: new URL(path, settings.baseUrl).toString(), method: 'POST', body, signal,
    timeoutMs: settings.timeoutMs, maxResponseBytes: MAX_ANSWER_BYTES,
    headers: { authorization: `Basic ${Buffer.from(`${settings.accessKey}:${settings.accessKeySecret}`).toString('base64')}` },
    credentialsHint: `check ${settings.keyEnv} and its secret`,
  });
  const matched: GongCall[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && matched.length < query.maxRows; page += 1) {
    const body = (await request('/v2/calls/extensive', {
      ...(cursor ? { cursor } : {}),
      filter: { fromDateTime: query.from.toISOString(), toDateTime: query.to.toISOString() },
      contentSelector: { context: 'Extended', exposedFields: { parties: true, content: { brief: true, trackers: true, highlights: true } } },
    })) as GongPage;
    matched.push(...(body.calls ?? []).filter((call) => query.account === undefined || accountOf(call, query.account) !== undefined));
    cursor = body.records?.cursor;
    if (!cursor) break;
  }
  const calls = matched.slice(0, query.maxRows);
  const ids = calls.map((call) => call.metaData?.id).filter((id): id is string => typeof id === 'string');
  const transcripts = ids.length === 0 ? {} : ((await request('/v2/calls/transcript', { filter: { callIds: ids } })) as GongTranscripts);
  const excerpts = new Map((transcripts.callTranscripts ?? []).map((t) => [t.callId, t.transcript ?? []]));
  const rows = calls.map((call) => toRow(call, query.account, excerpts.get(call.metaData?.id)));
  return { columns: CALL_COLUMNS, rows, truncated: matched.length > calls.length || cursor !== undefined };
}

/** The CRM account name attached to the call (or a party), else the title when it names the account. */
function accountOf(call: GongCall, wanted: string | undefined): string | undefined {
  const contexts = [...(call.context ?? []), ...(call.parties ?? []).flatMap((p) => p.context ?? [])];
  const names = contexts.flatMap((c) => c.objects ?? [])
    .filter((o) => o.objectType?.toLowerCase() === 'account')
    .flatMap((o) => (o.fields ?? []).filter((f) => f.name?.toLowerCase() === 'name').map((f) => String(f.value)));
  if (wanted === undefined) return names[0];
  const needle = wanted.toLowerCase();
  return names.find((name) => name.toLowerCase().includes(needle)) ??
    (call.metaData?.title?.toLowerCase().includes(needle) ? wanted : undefined);
}

type Monologue = NonNullable<NonNullable<GongTranscripts['callTranscripts']>[number]['transcript']>[number];

function toRow(call: GongCall, account: string | undefined, transcript: Monologue[] | undefined) {
  const speakers = new Map((call.parties ?? []).map((p) => [p.speakerId, p.name ?? 'Unknown']));
  const trackers = (pattern: RegExp) => (call.content?.trackers ?? [])
    .filter((t) => pattern.test(t.name ?? '') && (t.count ?? 0) > 0)
    .flatMap((t) => (t.phrases?.length ? t.phrases.map((p) => p.phrase) : [t.name]))
    .filter(Boolean).join(', ');
  const nextSteps = (call.content?.highlights ?? []).filter((h) => /next step/i.test(h.title ?? ''))
    .flatMap((h) => (h.items ?? []).map((i) => i.text)).filter(Boolean).join('; ');
  const excerpt = (transcript ?? [])
    .map((m) => `${speakers.get(m.speakerId) ?? 'Speaker'}: ${(m.sentences ?? []).map((s) => s.text).join(' ')}`)
    .join('\n');
  return callRow({
    call_id: call.metaData?.id ?? null,
    call_date: call.metaData?.started?.slice(0, 10) ?? null,
    title: call.metaData?.title ?? null,
    account_name: accountOf(call, account) ?? null,
    participants: (call.parties ?? []).map((p) => p.name).filter(Boolean).join(', '),
    duration_minutes: typeof call.metaData?.duration === 'number' ? Math.round(call.metaData.duration / 60) : null,
    summary: call.content?.brief ?? null,
    transcript_excerpt: excerpt ? excerpt.slice(0, EXCERPT_CHARS) : null,
    competitor_mentions: trackers(/compet/i) || null,
    objections: trackers(/objection/i) || null,
    next_steps: nextSteps || null,
    source: 'gong',
  });
}

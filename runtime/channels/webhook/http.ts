/**
 * Fetch-API helpers for the webhook routes (the same code runs in the Node server and on Lambda): JSON responses
 * with the CORS headers the seed's gateway sent, and a body reader that stops at the size limit.
 */

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Revops-Timestamp, X-Revops-Signature, Idempotency-Key',
  'Access-Control-Expose-Headers': 'X-Request-ID, Retry-After, Idempotent-Replayed',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...corsHeaders, ...headers },
  });
}

export const failure = (status: number, code: string, message: string, headers?: Record<string, string>): Response =>
  json(status, { success: false, error: { code, message } }, headers);

export const preflight = (): Response => new Response(null, { status: 204, headers: { ...corsHeaders, 'Access-Control-Max-Age': '600' } });

/**
 * The body as text, or `undefined` once more than `maxBytes` arrived. With a Content-Length within the limit the
 * HTTP parser stops at that length, so the whole body is read at once (the Node adapter's fast path, which skips
 * building a web stream); without one (chunked) it is streamed and cut off at the limit. Either way the bytes
 * actually read are counted.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= maxBytes) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength > maxBytes ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

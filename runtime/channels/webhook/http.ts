/**
 * Fetch-API helpers for the webhook routes (the same code runs in the Node server and on Lambda): JSON responses
 * with the CORS headers the seed's gateway sent, and a body reader that stops at the size limit.
 */

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Revops-Timestamp, X-Revops-Signature',
  'Access-Control-Expose-Headers': 'X-Request-ID, Retry-After',
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

/** The body as text, or `undefined` once more than `maxBytes` arrived (Content-Length can lie or be absent). */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<string | undefined> {
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

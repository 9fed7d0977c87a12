/**
 * One POST of a JSON body over node:http(s). Not `fetch`: fetch cannot be told which address to dial, and the
 * private-address check must run on the address actually connected to (see guardedLookup). Redirects are never
 * followed; the caller decides what a 3xx means.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostOutcome {
  status: number;
  location?: string;
  /** The start of the response body (the rest is discarded). */
  text: string;
}

/** Receivers answer with a status and a short acknowledgement; more is not read. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function postOnce(url: URL, body: string, lookup: LookupFunction, timeoutMs: number, signal?: AbortSignal): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      lookup,
      signal,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'revops-webhook-executor' },
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError(`no response within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES);
        resolve({ status: response.statusCode ?? 0, location: response.headers.location, text });
      });
      response.on('error', reject);
    });
    request.end(body);
  });
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * The transport under the Slack WebClient: a `fetch` over node:http/https with keep-alive agents, handed to the
 * WebClient through its documented `fetch` option. The WebClient still does everything Slack-specific (form
 * encoding, auth header, 429 Retry-After, retries, error types); this only moves bytes. Why not the global fetch
 * (undici): the acknowledgement is posted once per accepted event on the ingress's hot path, and on loopback a
 * chat.postMessage through the WebClient cost about 575 µs of CPU over undici's fetch and about 240 µs over this
 * (web streams and per-request objects; measured against the loopback stand-in, stand-in included). Bodies the
 * WebClient builds as FormData (file uploads, which this channel never sends) go to the global fetch.
 */
import http from 'node:http';
import https from 'node:https';

/**
 * The part of a Fetch `Response` the WebClient reads (status, statusText, url, headers.get/entries, text,
 * arrayBuffer, json) over an already buffered body — a full undici Response wraps the body in a web stream per call.
 */
class BufferedResponse {
  readonly ok: boolean;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly raw: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  readonly headers = {
    get: (name: string): string | null => {
      const value = this.raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    has: (name: string): boolean => this.raw[name.toLowerCase()] !== undefined,
    entries: (): IterableIterator<[string, string]> =>
      Object.entries(this.raw)
        .filter((e): e is [string, string | string[]] => e[1] !== undefined)
        .map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : v])
        [Symbol.iterator](),
  };

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

/**
 * `timeoutMs`: a socket silent that long fails the request (the WebClient then retries or surfaces the error). The
 * transport enforces it instead of the WebClient's `timeout` option, which creates an `AbortSignal.timeout` — a timer
 * and abort listeners — for every call: about a fifth of a chat.postMessage's CPU on loopback (issue 5).
 */
export function keepAliveFetch(options: { timeoutMs: number }): typeof fetch {
  // 64 sockets per origin: well above the WebClient's own request concurrency to Slack's API in practice.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    // Checked without touching the global Request/Headers classes: referencing them loads undici (about 65 ms of a
    // Lambda cold start, issue 6), which this path never needs for the strings and plain objects the WebClient passes.
    const plainInput = typeof input === 'string' || input instanceof URL;
    if (!plainInput || (init.body !== undefined && init.body !== null && typeof init.body !== 'string')) {
      return globalThis.fetch(input, init);
    }
    const url = new URL(String(input));
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: init.method ?? 'GET',
          // The WebClient passes a plain object; anything else goes through the Headers class.
          headers: Array.isArray(init.headers) || typeof (init.headers as { entries?: unknown } | undefined)?.entries === 'function'
            ? Object.fromEntries(new Headers(init.headers))
            : (init.headers as http.OutgoingHttpHeaders | undefined) ?? {},
          agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const response = new BufferedResponse(url.href, res.statusCode ?? 500, res.statusMessage ?? '', res.headers, Buffer.concat(chunks));
            resolve(response as unknown as Response);
          });
        },
      );
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no response from ${url.origin} within ${options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(init.body ?? undefined);
    });
  };
  return send as typeof fetch;
}

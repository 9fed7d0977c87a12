/**
 * One place that decides how the channel talks to the Slack Web API, so the ingress's Bolt app and the processor's
 * Delivery behave alike: `apiUrl` (env SLACK_API_URL) redirects the client (tests use a loopback stand-in); rate
 * limits (HTTP 429 + Retry-After) are waited out by the WebClient itself; other failures are retried a few times
 * quickly and then surface, so the queue's own retry (visibility timeout, DLQ after 3 receives) takes over instead
 * of a single call blocking a worker for half an hour (the WebClient default policy).
 */
// The Web API package itself, not Bolt's re-export: the processor posts answers without Bolt's App, and importing
// through '@slack/bolt' would load all of Bolt at its cold start.
import { LogLevel, WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import { keepAliveFetch } from './keepAliveFetch.ts';

export interface WebClientSettings {
  apiUrl?: string;
  /** WebClient retry policy override (tests pass `{ retries: 0 }`). */
  retryConfig?: RetryOptions;
}

/** One connection pool per process, shared by the ingress's app and the Delivery. Slack's Web API answers within
 * seconds; a stuck socket must not hold a processing slot forever. */
const sharedFetch = keepAliveFetch({ timeoutMs: 10_000 });

const defaultRetry: RetryOptions = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true };

export function webClientOptions(settings: WebClientSettings): WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    retryConfig: settings.retryConfig ?? defaultRetry,
    rejectRateLimitedCalls: false,
    // The transport times requests out (keepAliveFetch); 0 stops the WebClient adding its own per-call timer.
    timeout: 0,
    logLevel: LogLevel.ERROR,
    fetch: sharedFetch,
  };
}

export function createWebClient(botToken: string, settings: WebClientSettings): WebClient {
  return new WebClient(botToken, webClientOptions(settings));
}

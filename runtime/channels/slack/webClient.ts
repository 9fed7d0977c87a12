/**
 * One place that decides how the channel talks to the Slack Web API, so the ingress's Bolt app and the processor's
 * Delivery behave alike: `apiUrl` (env SLACK_API_URL) redirects the client (tests use a loopback stand-in); rate
 * limits (HTTP 429 + Retry-After) are waited out by the WebClient itself; other failures are retried a few times
 * quickly and then surface, so the queue's own retry (visibility timeout, DLQ after 3 receives) takes over instead
 * of a single call blocking a worker for half an hour (the WebClient default policy).
 */
import { webApi } from '@slack/bolt';
import { keepAliveFetch } from './keepAliveFetch.ts';

export interface WebClientSettings {
  apiUrl?: string;
  /** WebClient retry policy override (tests pass `{ retries: 0 }`). */
  retryConfig?: webApi.RetryOptions;
}

/** One connection pool per process, shared by the ingress's app and the Delivery. */
const sharedFetch = keepAliveFetch();

const defaultRetry: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true };

export function webClientOptions(settings: WebClientSettings): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    retryConfig: settings.retryConfig ?? defaultRetry,
    rejectRateLimitedCalls: false,
    // Slack's Web API answers within seconds; a stuck socket must not hold a processing slot forever.
    timeout: 10_000,
    logLevel: webApi.LogLevel.ERROR,
    fetch: sharedFetch,
  };
}

export function createWebClient(botToken: string, settings: WebClientSettings): webApi.WebClient {
  return new webApi.WebClient(botToken, webClientOptions(settings));
}

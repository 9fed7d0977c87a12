/**
 * API Gateway HTTP API (payload 2.0) -> the runtime's Hono app -> response, via Hono's own Lambda adapter (it only
 * translates the event to a Request and the Response back). The ingress bundle (every channel's ingress function) uses it;
 * each is deployed behind its own routes. The adapter sets Content-Length from the event's body, so the app's body
 * limit (server/bodyLimit.ts) refuses an oversized body by its true size before any route parses it.
 */
import type { Hono } from 'hono';
import { handle, type APIGatewayProxyResult, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';

export function createHttpHandler(app: () => Promise<Hono>) {
  return async function httpIngress(event: LambdaEvent, context?: LambdaContext): Promise<APIGatewayProxyResult> {
    return handle(await app())(event, context);
  };
}

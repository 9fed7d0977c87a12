/**
 * Outbound HTTP for URLs that come from configuration or a request: one guard (no redirects, restricted addresses
 * checked on the connection made, timeouts, a size cap). A leaf: it imports nothing of the runtime but the coded
 * error, so channels and tools both use it without depending on each other.
 */
export { outboundRequest, ACKNOWLEDGEMENT_BYTES, type OutboundPolicy, type OutboundRequest, type OutboundResponse } from './outboundRequest.ts';
export { OutboundError, type OutboundErrorCode } from './outboundError.ts';
export type { Resolver, ResolvedAddress } from './guardedLookup.ts';

/**
 * Why an outbound request did not produce a usable answer. `refused`: the guard would not dial the address (or the
 * scheme); `redirect`: the server answered 3xx, which is never followed; `timeout`: no connection or no complete
 * answer in time; `network`: the connection failed.
 * A message is a predicate ("answered HTTP 307 …", "is unreachable (ECONNREFUSED)"): the caller puts its own subject
 * before it (the URL without its path, which can carry a secret; the service's name; "receiver").
 */
import { CodedError } from '../../compiler/codedError.ts';

export type OutboundErrorCode = 'refused' | 'redirect' | 'timeout' | 'network';

export class OutboundError extends CodedError<OutboundErrorCode> {
  override readonly name = 'OutboundError';
  constructor(
    code: OutboundErrorCode,
    message: string,
    /** A redirect's status and Location header, for callers that say where it pointed. */
    readonly redirect?: { status: number; location?: string },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

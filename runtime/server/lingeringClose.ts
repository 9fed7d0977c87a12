/**
 * How the Node server closes a connection it ends (a `Connection: close` response, such as the body limit's 413):
 * half-close, read nothing more, destroy after a grace period. Node's own `destroySoon` destroys the socket as soon
 * as the response is flushed; with the client's unread body still in the kernel's buffer that sends a TCP reset,
 * which can reach the client before it has read the response (RFC 9112 §9.6), so a client streaming a refused body
 * saw "connection reset" instead of 413. Here the response and FIN go out, the rest of the body stays in the
 * kernel's buffer (never in the process), and the reset, if any, comes after the client had the time to read.
 */
import type { Socket } from 'node:net';

export const CLOSE_GRACE_MS = 2_000;

/** Replaces the socket's `destroySoon`, which Node's HTTP server calls after a `Connection: close` response. */
export function lingerOnClose(socket: Socket): void {
  socket.destroySoon = function lingeringDestroySoon(): void {
    socket.pause();
    if (socket.writable) socket.end();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  };
}

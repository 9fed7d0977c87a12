/**
 * The shape every runtime and infra error shares (STYLE: errors carry a stable code, their cause, and a message that
 * says what to do next). Each layer narrows `Code` to its own union, so callers branch on codes, never on prose; a
 * code is one of the catalog's (`errorCatalog.ts`), which says what it means and what to do. It sits in the base
 * layer because infra, which imports no runtime, throws coded errors too.
 */
import type { ErrorCode } from './errorCatalog.ts';

export abstract class CodedError<Code extends ErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

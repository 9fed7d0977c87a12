/**
 * The shape every runtime error shares (STYLE: errors carry a stable code, their cause, and a message that says
 * what to do next). Each layer narrows `Code` to its own union, so callers branch on codes, never on prose.
 */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

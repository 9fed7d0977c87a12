/**
 * infra's coded error. Its message starts with its code (`RV_INFRA_CONFIG: …`), and its name stays `Error`, because
 * Pulumi prints an error a program throws as it is; `revops plan` and `revops build` print it once
 * (runtime/cli/userError.ts). The codes are the catalog's (`compiler/errorCatalog.ts`).
 */
import { CodedError } from '../compiler/codedError.ts';
import type { ErrorCode } from '../compiler/errorCatalog.ts';

export type InfraErrorCode = Extract<ErrorCode, `RV_INFRA_${string}`>;

export class InfraError extends CodedError<InfraErrorCode> {
  constructor(code: InfraErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, `${code}: ${message}`, options);
  }
}

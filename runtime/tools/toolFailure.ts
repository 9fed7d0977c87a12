/**
 * How executors report a refusal or failure: they throw a ToolFailure, and `createToolbox` turns it into an
 * `ok: false` ToolResult. The code is stable (engines and the action-group handler branch on it); the message is
 * written for whoever must act next: a model that can rephrase a call, or an analyst fixing a spec.
 */
import type { ToolErrorCode, ToolResult } from './toolbox.ts';
import { WarehouseError } from '../warehouse/warehouse.ts';
import { CodedError } from '../../compiler/codedError.ts';

export class ToolFailure extends CodedError<ToolErrorCode> {
  override readonly name = 'ToolFailure';
}

/** Maps a warehouse failure to a tool failure. `modelWrittenSql` turns a syntax error into something the model fixes. */
export function fromWarehouseError(error: WarehouseError, modelWrittenSql: boolean): ToolFailure {
  switch (error.code) {
    case 'timeout':
      return new ToolFailure('timeout', `${error.message} Narrow the query (filters, fewer rows, aggregates) and try again.`, { cause: error });
    case 'too_large':
      return new ToolFailure('too_large', `${error.message}.`, { cause: error });
    case 'parameter':
      return new ToolFailure('invalid_parameter', error.message, { cause: error });
    case 'connection':
      return new ToolFailure('upstream', `The warehouse is unreachable: ${error.message}`, { cause: error });
    case 'syntax':
      return modelWrittenSql
        ? new ToolFailure('invalid_parameter', `query: the warehouse rejected the SQL: ${error.message}`, { cause: error })
        : new ToolFailure('execution', `The tool's SQL failed to parse (fix the spec): ${error.message}`, { cause: error });
    default:
      return new ToolFailure('execution', error.message, { cause: error });
  }
}

/** Turns anything thrown by an executor into a failure result; unknown errors become `execution`. */
export function failureResult(tool: string, error: unknown, durationMs: number): ToolResult {
  const failure =
    error instanceof ToolFailure ? error
    : error instanceof WarehouseError ? fromWarehouseError(error, false)
    : new ToolFailure('execution', error instanceof Error ? error.message : String(error), { cause: error });
  return {
    ok: false,
    tool,
    error: { code: failure.code, message: failure.message },
    stats: { durationMs, rowCount: 0, truncated: false },
  };
}

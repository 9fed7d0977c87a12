/**
 * One `revops doctor` check: a name, what it runs, and the fix to print when it fails. A check passes by resolving
 * with what it saw ("auth.test: bot revbot in T0001") and fails by throwing; a CheckFailed carries a fix more
 * precise than the check's own (a 403 and a missing bucket need different ones). Checks run one after another,
 * each within a time limit, so one hung endpoint cannot stall the report.
 */

export interface DoctorCheck {
  name: string;
  run: () => Promise<string>;
  fix: string;
}

export interface CheckOutcome {
  name: string;
  ok: boolean;
  detail: string;
  /** Set when the check failed. */
  fix?: string;
}

export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
  constructor(message: string, readonly fix?: string) {
    super(message);
  }
}

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

const describe = (error: unknown): string => {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (error instanceof CheckFailed) return error.message;
  const status = e?.$metadata?.httpStatusCode;
  return [e?.name && e.name !== 'Error' ? e.name : undefined, e?.code, status ? `HTTP ${status}` : undefined, e?.message]
    .filter(Boolean).join(': ') || String(error);
};

export async function runCheck(check: DoctorCheck, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([check.run(), timeout]);
    return { name: check.name, ok: true, detail };
  } catch (error) {
    return { name: check.name, ok: false, detail: describe(error), fix: (error instanceof CheckFailed && error.fix) || check.fix };
  } finally {
    clearTimeout(timer);
  }
}

export function renderOutcomes(outcomes: CheckOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.name.length), 4);
  const lines = outcomes.flatMap((o) => [
    `${o.ok ? 'ok  ' : 'FAIL'}  ${o.name.padEnd(width)}  ${o.detail}`,
    ...(o.fix ? [`${' '.repeat(width + 8)}fix: ${o.fix}`] : []),
  ]);
  const failed = outcomes.filter((o) => !o.ok).length;
  return [...lines, '', failed ? `${failed} of ${outcomes.length} checks failed` : `all ${outcomes.length} checks passed`].join('\n');
}

/** What every `revops` subcommand module exports. Exit codes: 0 ok, 1 problems found / failed, 2 usage error. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (diagnostics then render code frames and colour). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks the person at the terminal and returns the reply; absent when stdin is not a terminal. */
  prompt?: (question: string) => Promise<string>;
}

export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export const processIO = (): CommandIO => ({
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  ...(process.stdin.isTTY ? { prompt: askTerminal } : {}),
});

async function askTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const line = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await line.question(question);
  } finally {
    line.close();
  }
}

/** A usage error: the dispatcher prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

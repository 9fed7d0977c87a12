/**
 * The CLI dispatcher: the one composition root that sees every layer, so it sits outside them (no layer imports
 * it; runtime/ never imports infra/). Each subcommand lives with the layer it drives (compiler/cli, runtime/cli,
 * infra/cli) and is loaded only when asked for, so `revops validate` never pays for the AWS SDK or Pulumi.
 */
import { type Command, type CommandIO, UsageError, processIO } from '../../compiler/cli/command.ts';
import { userErrorMessage } from '../../runtime/cli/userError.ts';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  validate: () => import('../../compiler/cli/validate.ts'),
  compile: () => import('../../compiler/cli/compile.ts'),
  graph: () => import('../../compiler/cli/graph.ts'),
  data: () => import('../../runtime/cli/data.ts'),
  tool: () => import('../../runtime/cli/tool.ts'),
  metrics: () => import('../../runtime/cli/metrics.ts'),
  ask: () => import('../../runtime/cli/ask.ts'),
  eval: () => import('../../runtime/cli/eval.ts'),
  serve: () => import('../../runtime/cli/serve.ts'),
  start: () => import('../../runtime/cli/start.ts'),
  conversations: () => import('../../runtime/cli/conversations.ts'),
  audit: () => import('../../runtime/cli/audit.ts'),
  queue: () => import('../../runtime/cli/queue.ts'),
  plan: () => import('./plan.ts'),
  build: () => import('./build.ts'),
  doctor: () => import('../../runtime/cli/doctor.ts'),
};

const help = (): string =>
  ['usage: revops <command> [options]', '', 'commands:', ...Object.keys(commands).map((name) => `  ${name}`), '',
    'revops <command> --help prints the command\'s options.'].join('\n');

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`revops: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const { command } = await load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    // Usage mistakes and errors a user can fix print as one message (userError.ts); a bug keeps its stack.
    if (error instanceof UsageError) {
      io.stderr(`revops ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (isParseArgsError(error)) {
      // Node's text goes on about positionals after '--'; the first sentence names the flag.
      io.stderr(`revops ${name}: ${error.message.replace(/\. To specify a positional argument.*$/s, '')}\nusage: ${command.usage}`);
      return 2;
    }
    const message = userErrorMessage(error);
    if (message === undefined) throw error;
    io.stderr(`revops ${name}: ${message}`);
    return 1;
  }
}

/** node:util parseArgs refuses an unknown flag or a missing value with a TypeError coded ERR_PARSE_ARGS_*. */
const isParseArgsError = (error: unknown): error is Error =>
  error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');

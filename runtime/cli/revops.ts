/**
 * The CLI dispatcher: the one composition root that sees every layer. Each subcommand lives with the layer it
 * drives (compiler/cli, runtime/cli, infra/cli) and is loaded only when asked for, so `revops validate` never
 * pays for the AWS SDK or Pulumi.
 */
import { type Command, type CommandIO, UsageError, processIO } from './command.ts';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  validate: () => import('../../compiler/cli/validate.ts'),
  compile: () => import('../../compiler/cli/compile.ts'),
  graph: () => import('../../compiler/cli/graph.ts'),
  data: () => import('./data.ts'),
  tool: () => import('./tool.ts'),
  ask: () => import('./ask.ts'),
  eval: () => import('./eval.ts'),
  serve: () => import('./serve.ts'),
  start: () => import('./start.ts'),
  conversations: () => import('./conversations.ts'),
  audit: () => import('./audit.ts'),
  plan: () => import('../../infra/cli/plan.ts'),
  build: () => import('../../infra/cli/build.ts'),
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
    if (error instanceof UsageError) {
      io.stderr(`revops ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    throw error;
  }
}

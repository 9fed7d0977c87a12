/** `revops graph [--format mermaid|dot]`: the channel/agent/collaborator/tool graph of the specs, on stdout. */
import { parseArgs } from 'node:util';
import { type Command, UsageError } from './command.ts';
import { compileProject } from '../compile.ts';
import { renderGraph } from '../emit/graph.ts';
import { report } from './report.ts';

export const command: Command = {
  summary: 'Print the agent graph (channels -> supervisor -> collaborators -> tools) as Mermaid or Graphviz DOT.',
  usage: 'revops graph [--format mermaid|dot]',
  async run(args, io) {
    let format: unknown;
    try {
      format = parseArgs({ args, options: { format: { type: 'string', default: 'mermaid' } } }).values.format;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format must be mermaid or dot, not '${String(format)}'`);
    const result = await compileProject(io.cwd);
    if (!result.manifest) return report(result, 'text', io);
    io.stdout(renderGraph(result.manifest, format));
    return 0;
  },
};

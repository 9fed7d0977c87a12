/** `revops validate [--strict] [--format text|json]`: check every spec under specs/ and report all problems. */
import type { Command } from './command.ts';
import { compileProject } from '../compile.ts';
import { parseOptions, report } from './report.ts';

export const command: Command = {
  summary: 'Check the specs under specs/ and report every problem (exit 1 on errors; --strict: on warnings too).',
  usage: 'revops validate [--strict] [--format text|json]',
  async run(args, io) {
    const options = parseOptions(args);
    const result = await compileProject(io.cwd, { strict: options.strict });
    return report(result, options.format, io);
  },
};

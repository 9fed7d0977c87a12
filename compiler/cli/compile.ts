/**
 * `revops compile [--out build] [--strict] [--format text|json]`: validate, then write the manifest and Bedrock
 * requests; the editor schemas in compiler/schemas are rewritten with the project's names (even when there are
 * errors, since a half-written project is when completions help most).
 */
import { relative } from 'node:path';
import type { Command } from './command.ts';
import { writeBuild } from '../build.ts';
import { compileProject } from '../compile.ts';
import { projectSchemasDir, writeSchemas } from '../schemas/publish.ts';
import { projectNames } from '../schemas/references.ts';
import { parseOptions, report } from './report.ts';

export const command: Command = {
  summary: 'Compile specs/ into <out>/manifest.json and <out>/bedrock/<agent>.json (nothing is written on errors).',
  usage: 'revops compile [--out build] [--strict] [--format text|json]',
  async run(args, io) {
    const options = parseOptions(args, true);
    const result = await compileProject(io.cwd, { strict: options.strict });
    const schemas = await writeSchemas(projectSchemasDir(io.cwd), projectNames(result.project));
    if (schemas.length && options.format === 'text') io.stderr(`updated the editor schemas: ${schemas.map((f) => `compiler/schemas/${f}`).join(', ')}`);
    const code = report(result, options.format, io);
    if (code !== 0 || !result.manifest) return code;
    const written = await writeBuild(io.cwd, options.out, result);
    if (options.format === 'text') {
      io.stderr(`wrote ${relative(io.cwd, written[0]!)} (hash ${result.manifest.hash.slice(0, 12)}) and ${written.length - 1} Bedrock request files`);
    }
    return 0;
  },
};

/**
 * `npm run build` (`revops build [--slack-url URL]`): compiles the specs into build/ (when stale), bundles the
 * Lambda adapters into dist/lambda/<function>/ with a size report, and writes build/slack-app-manifest.json for the
 * Slack channel (with `--slack-url`, e.g. `$(pulumi stack output slackEventsUrl)`, or a placeholder to replace).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isSlackChannel } from '../../compiler/manifest.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { bundleLambdas } from '../bundle.ts';
import { BUILD_DIR } from '../manifestSource.ts';
import { manifestForCommand } from './manifestForCommand.ts';
import { SLACK_URL_PLACEHOLDER, slackAppManifest } from '../slackAppManifest.ts';

/**
 * Lambda's limit is 50 MB zipped; we hold each function well under it for cold starts (issue 6 target: 2 MB),
 * counting all its code, chunks it may never load included.
 */
const SIZE_TARGET_BYTES = 2 * 1024 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export const command: Command = {
  summary: 'Compile the specs, bundle the Lambda functions into dist/lambda, write the Slack app manifest',
  usage: 'revops build [--slack-url URL]',
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { 'slack-url': { type: 'string' } } }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const loaded = await manifestForCommand(io);
    if (!loaded) return 1;
    const { manifestPath, manifest } = loaded;
    io.stdout(`manifest ${manifestPath} (hash ${manifest.hash.slice(0, 12)})`);

    const reports = await bundleLambdas(io.cwd);
    let problems = 0;
    for (const r of reports) {
      if (!r.ok) {
        problems += 1;
        io.stderr(`  ${r.name.padEnd(16)} FAILED (RV_BUILD_BUNDLE): ${r.error}`);
        continue;
      }
      const over = r.totalBytes > SIZE_TARGET_BYTES;
      problems += over ? 1 : 0;
      io.stdout(`  ${r.name.padEnd(16)} ${kb(r.totalBytes).padStart(10)} in all, ${kb(r.entryBytes).padStart(10)} loaded at import` +
        `${over ? '  over the 2 MB target' : ''}`);
    }

    const slack = manifest.channels.find(isSlackChannel);
    if (slack) {
      const url = values['slack-url'] ?? SLACK_URL_PLACEHOLDER;
      const path = join(io.cwd, BUILD_DIR, 'slack-app-manifest.json');
      await mkdir(join(io.cwd, BUILD_DIR), { recursive: true });
      await writeFile(path, `${JSON.stringify(slackAppManifest(slack, url), null, 2)}\n`);
      io.stdout(`slack app manifest ${path}${values['slack-url'] ? '' : ' (placeholder URL: rerun with --slack-url)'}`);
    }
    return problems ? 1 : 0;
  },
};

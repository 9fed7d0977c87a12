/**
 * The Pulumi program (`Pulumi.yaml` main: `infra/`). Reads the manifest (compiling the specs first when they are
 * newer than `build/`) and the stack config once, checks the Lambda bundles exist, runs the checks `revops plan` runs
 * and wires the components (`infra/deployProgram.ts`, `infra/stack.ts`); a mistake the user can fix stops it with
 * its one-line diagnostic, no stack trace. Paths are resolved from this file, not the working directory: Pulumi
 * runs a directory `main` with that directory as its working directory.
 *
 *   pulumi config set aws:region us-east-1
 *   pulumi config set --secret revops:slackSigningSecret ...
 *   npm run build && pulumi up
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { BUNDLE_DIR, assertBundlesBuilt } from './bundles.ts';
import { readStackConfig } from './config.ts';
import { deployProgram, stopOnUserMistake } from './deployProgram.ts';
import { ensureManifest, readManifest } from './manifestSource.ts';
import { settingsCatalog } from './settingsCatalog.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundleDir = join(root, BUNDLE_DIR);
const { manifest, config, manifestPath } = await stopOnUserMistake(async () => {
  const manifestPath = await ensureManifest(root);
  const manifest = await readManifest(manifestPath);
  const config = readStackConfig(settingsCatalog(manifest));
  assertBundlesBuilt(bundleDir);
  return { manifest, config, manifestPath };
});

const outputs = await deployProgram({ manifest, config, paths: { bundleDir, manifestPath }, stack: pulumi.getStack() });

export const slackEventsUrl = outputs.slackEventsUrl;
export const webhookUrl = outputs.webhookUrl;
export const agents = outputs.agents;
export const queueUrls = outputs.queueUrls;
export const exportBucket = outputs.exportBucket;
export const sessionTable = outputs.sessionTable;
export const knowledgeBaseId = outputs.knowledgeBaseId;
export const alarmTopicArn = outputs.alarmTopicArn;
export const manifestHash = manifest.hash;

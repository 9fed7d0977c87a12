/**
 * The Pulumi program (`Pulumi.yaml` main: `infra/`). Reads the manifest (compiling the specs first when they are
 * newer than `build/`) and the stack config once, checks the Lambda bundles exist, and wires the components
 * (`infra/stack.ts`). Paths are resolved from this file, not the working directory: Pulumi runs a directory `main`
 * with that directory as its working directory.
 *
 *   pulumi config set aws:region us-east-1
 *   pulumi config set --secret revops:slackSigningSecret ...
 *   npm run build && pulumi up
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, assertBundlesBuilt } from './bundles.ts';
import { readStackConfig } from './config.ts';
import { ensureManifest, readManifest } from './manifestSource.ts';
import { settingsCatalog } from './settingsCatalog.ts';
import { createStack } from './stack.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestPath = await ensureManifest(root);
const manifest = await readManifest(manifestPath);
const config = readStackConfig(settingsCatalog(manifest));
const bundleDir = join(root, BUNDLE_DIR);
assertBundlesBuilt(bundleDir);

const outputs = createStack(manifest, config, { bundleDir, manifestPath });

export const slackEventsUrl = outputs.slackEventsUrl;
export const webhookUrl = outputs.webhookUrl;
export const agents = outputs.agents;
export const exportBucket = outputs.exportBucket;
export const sessionTable = outputs.sessionTable;
export const knowledgeBaseId = outputs.knowledgeBaseId;
export const alarmTopicArn = outputs.alarmTopicArn;
export const manifestHash = manifest.hash;

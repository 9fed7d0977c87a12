/**
 * The Lambda functions' code, by role: name -> the adapter (or, for deploy-time work, the infra function) each is
 * built from. Every channel deploys the `ingress` and the `processor` bundle, told its channel by REVOPS_CHANNEL
 * (components/channelDeployment.ts). Each bundle is a folder `dist/lambda/<name>/` holding `index.mjs` (the handler)
 * and the chunks it imports on demand (infra/bundle.ts), shipped whole.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from './infraError.ts';

export const LAMBDA_BUNDLES = {
  ingress: 'runtime/lambda/ingress.ts',
  processor: 'runtime/lambda/processor.ts',
  'tool-executor': 'runtime/lambda/toolExecutor.ts',
  /** Deploy time only: started by `pulumi up` when the knowledge documents change. */
  'knowledge-ingestion': 'infra/functions/startIngestion.ts',
} as const;

export type BundleName = keyof typeof LAMBDA_BUNDLES;

export const BUNDLE_DIR = join('dist', 'lambda');

/** The handler file inside each function's folder (Lambda handler `<folder>/index.handler`). */
export const BUNDLE_ENTRY = 'index.mjs';

const missingBundles = (bundleDir: string): string[] =>
  Object.keys(LAMBDA_BUNDLES).filter((name) => !existsSync(join(bundleDir, name, BUNDLE_ENTRY)));

export const bundlesBuilt = (bundleDir: string): boolean => missingBundles(bundleDir).length === 0;

/** Throws, naming the fix, when a bundle `pulumi up` would upload is missing. */
export function assertBundlesBuilt(bundleDir: string): void {
  const missing = missingBundles(bundleDir);
  if (missing.length) {
    throw new InfraError('RV_INFRA_BUNDLES', `missing ${missing.map((m) => `${m}/${BUNDLE_ENTRY}`).join(', ')} in ${bundleDir}; ` +
      'run `npm run build` before `pulumi up`');
  }
}

/** The Lambda bundles: name in `dist/lambda/<name>.mjs` -> the adapter it is built from. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const LAMBDA_BUNDLES = {
  'slack-ingress': 'runtime/lambda/slackIngress.ts',
  'webhook-ingress': 'runtime/lambda/webhookIngress.ts',
  processor: 'runtime/lambda/processor.ts',
  'tool-executor': 'runtime/lambda/toolExecutor.ts',
} as const;

export type BundleName = keyof typeof LAMBDA_BUNDLES;

export const BUNDLE_DIR = join('dist', 'lambda');

/** Throws, naming the fix, when a bundle `pulumi up` would upload is missing. */
export function assertBundlesBuilt(bundleDir: string): void {
  const missing = Object.keys(LAMBDA_BUNDLES).filter((name) => !existsSync(join(bundleDir, `${name}.mjs`)));
  if (missing.length) {
    throw new Error(`RV_INFRA_BUNDLES: missing ${missing.map((m) => `${m}.mjs`).join(', ')} in ${bundleDir}; ` +
      'run `npm run build` before `pulumi up`');
  }
}

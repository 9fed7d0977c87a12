/**
 * Bundles the Lambda adapters with esbuild into `dist/lambda/<name>.mjs` (ESM, node20, minified, external source
 * maps). The AWS SDK v3 is BUNDLED, not taken from the Lambda runtime: the versions that ship are the ones
 * package-lock.json pins and the aws-sdk-client-mock tests exercise, and a runtime SDK update can never change
 * behaviour under us; tree-shaking keeps only the clients each adapter imports. DuckDB is external (the Lambda
 * warehouse is Firebolt; `openWarehouse` imports DuckDB only on the local path, so the import is never reached).
 * The manifest is not embedded: it ships next to each bundle (infra adds it to the function's code archive), so a
 * spec change does not change the bundles.
 */
import { build, type Plugin } from 'esbuild';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_DIR, LAMBDA_BUNDLES, type BundleName } from './bundles.ts';

export type BundleReport =
  | { name: BundleName; ok: true; path: string; bytes: number }
  | { name: BundleName; ok: false; error: string };

/** Never bundled: DuckDB is a native module and the Lambda warehouse is Firebolt. */
const EXTERNAL = ['@duckdb/*'];

/**
 * @slack/bolt's entry imports every receiver, and with them Express (body-parser, iconv-lite, mime-db) and Socket
 * Mode (undici): over 1.5 MB of the ingress bundles for receivers Lambda never runs (the runtime uses its own Fetch
 * receiver). They resolve to a stub that throws if anything ever calls it.
 */
const STUBBED = /^(express|@slack\/socket-mode)$/;
const stubUnusedReceivers = (stub: string): Plugin => ({
  name: 'stub-unused-receivers',
  setup(b) {
    b.onResolve({ filter: STUBBED }, () => ({ path: stub }));
  },
});

export async function bundleLambdas(root: string, outDir = join(root, BUNDLE_DIR)): Promise<BundleReport[]> {
  const reports: BundleReport[] = [];
  for (const [name, entry] of Object.entries(LAMBDA_BUNDLES) as Array<[BundleName, string]>) {
    const outfile = join(outDir, `${name}.mjs`);
    const built = await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      sourcemap: 'external',
      external: EXTERNAL,
      plugins: [stubUnusedReceivers(join(root, 'infra', 'lambdaStubs', 'unavailable.cjs'))],
      legalComments: 'none',
      logLevel: 'silent',
      // Some CommonJS dependencies call require(); give the ESM bundle one.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    }).catch((error: { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }) => error);
    if ('errors' in built && built.errors?.length && !('metafile' in built)) {
      const error = built.errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');
      reports.push({ name, ok: false, error });
      continue;
    }
    reports.push({ name, ok: true, path: outfile, bytes: (await stat(outfile)).size });
  }
  return reports;
}

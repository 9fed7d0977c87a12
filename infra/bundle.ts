/**
 * Bundles the Lambda adapters with esbuild, one folder per function: `dist/lambda/<name>/index.mjs` plus the chunks
 * it imports on demand (ESM, the Lambda runtime's Node version, minified, external source maps). Code splitting keeps what a function reaches
 * only through `import()` behind configuration (the engine REVOPS_ENGINE names, Slack, the SQS and S3 clients, the
 * Firebolt driver) out of the file every cold start compiles: a function loads the chunks its configuration uses.
 * The AWS SDK v3 is BUNDLED, not taken from the Lambda runtime: the versions that ship are the ones
 * package-lock.json pins and the aws-sdk-client-mock tests exercise, and a runtime SDK update can never change
 * behaviour under us; its ES module builds (`mainFields`) let tree-shaking keep only the commands we send.
 * Each function's esbuild metafile goes to `dist/lambda/<name>.meta.json`, beside (not inside) what ships: feed it to
 * https://esbuild.github.io/analyze/ to see what a chunk holds.
 * The manifest is not embedded: it ships next to each function (infra adds it to the code archive), so a spec change
 * does not change the bundles.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLE_DIR, BUNDLE_ENTRY, LAMBDA_BUNDLES, type BundleName } from './bundles.ts';
import { ESBUILD_NODE_TARGET } from './lambdaRuntime.ts';

export type BundleReport =
  | {
    name: BundleName; ok: true; dir: string;
    /** index.mjs and the chunks it imports statically: compiled at every cold start, whatever the configuration. */
    entryBytes: number;
    /** Every .mjs file of the function (entry and all chunks), source maps excluded. */
    totalBytes: number;
  }
  | { name: BundleName; ok: false; error: string };

/**
 * Packages the bundles import but Lambda never runs; each resolves to a stub that throws, naming the package, if
 * anything ever calls it.
 * - @slack/bolt's entry imports every receiver, and with them Express (body-parser, mime-db), raw-body (iconv-lite,
 *   480 KB of encodings), Socket Mode (undici) and OAuth (@slack/oauth, jsonwebtoken, semver): about 2 MB for
 *   receivers and an installation flow Lambda never runs (the runtime uses its own Fetch receiver and authorizes
 *   with one bot token). Bolt's App reaches OAuth only through those receivers.
 * - DuckDB is a native module and the Lambda warehouse is Firebolt (infra sets REVOPS_WAREHOUSE=firebolt). Marked
 *   external it was worse than useless: esbuild hoists an external import to the bundle's top, so every cold start
 *   loaded the native library (about 250 ms) and, with no node_modules on Lambda, failed to import at all.
 */
const STUBBED = /^(express|raw-body|@slack\/socket-mode|@slack\/oauth|@duckdb\/node-api)$/;

/**
 * node-fetch 2 (firebolt-sdk's HTTP client) takes `URL` from node:url and falls back to whatwg-url only on runtimes
 * without one; whatwg-url's tr46 tables are 280 KB of every bundle that reaches Firebolt. Node's own URL stands in.
 */
const WHATWG_URL = /^whatwg-url$/;

const lambdaStubs = (stubDir: string): Plugin => ({
  name: 'lambda-stubs',
  setup(b) {
    b.onResolve({ filter: STUBBED }, () => ({ path: join(stubDir, 'unavailable.cjs') }));
    b.onResolve({ filter: WHATWG_URL }, () => ({ path: join(stubDir, 'globalUrl.cjs') }));
  },
});

/** Bytes of the entry and of every chunk reachable from it through static imports. */
export function entryClosureBytes(metafile: Metafile, entry: string): number {
  const seen = new Set([entry]);
  const pending = [entry];
  for (let file = pending.pop(); file; file = pending.pop()) {
    for (const i of metafile.outputs[file]?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external && !seen.has(i.path)) {
        seen.add(i.path);
        pending.push(i.path);
      }
    }
  }
  return [...seen].reduce((sum, f) => sum + (metafile.outputs[f]?.bytes ?? 0), 0);
}

const describe = (error: { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }) =>
  (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ') || String(error);

export async function bundleLambdas(root: string, outDir = join(root, BUNDLE_DIR)): Promise<BundleReport[]> {
  const reports: BundleReport[] = [];
  for (const [name, entry] of Object.entries(LAMBDA_BUNDLES) as Array<[BundleName, string]>) {
    const dir = join(outDir, name);
    // A stale chunk from an earlier build would ship with the function.
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.meta.json`, { force: true });
    try {
      const { metafile } = await build({
        absWorkingDir: root,
        entryPoints: { [basename(BUNDLE_ENTRY, '.mjs')]: join(root, entry) },
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        chunkNames: 'chunk-[hash]',
        splitting: true,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: ESBUILD_NODE_TARGET,
        mainFields: ['module', 'main'],
        minify: true,
        sourcemap: 'external',
        plugins: [lambdaStubs(join(root, 'infra', 'lambdaStubs'))],
        legalComments: 'none',
        metafile: true,
        logLevel: 'silent',
        // Some CommonJS dependencies call require(); give every ESM chunk one.
        banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      });
      await writeFile(`${dir}.meta.json`, JSON.stringify(metafile));
      const outputs = Object.keys(metafile.outputs).filter((f) => f.endsWith('.mjs'));
      const entryOutput = outputs.find((f) => basename(f) === BUNDLE_ENTRY)!;
      reports.push({
        name, ok: true, dir, entryBytes: entryClosureBytes(metafile, entryOutput),
        totalBytes: outputs.reduce((sum, f) => sum + metafile.outputs[f]!.bytes, 0),
      });
    } catch (error) {
      reports.push({ name, ok: false, error: describe(error as Parameters<typeof describe>[0]) });
    }
  }
  return reports;
}

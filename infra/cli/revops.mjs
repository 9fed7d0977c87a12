#!/usr/bin/env node
// The `revops` executable: runs the prebuilt CLI (prebuilt.mjs rebuilds it when a source changed); where esbuild
// cannot run, it registers tsx and runs the TypeScript sources directly, the same code more slowly.
import { prebuiltEntry } from './prebuilt.mjs';

const entry = await prebuiltEntry();
let main;
if (entry) {
  ({ main } = await import(entry));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./revops.ts'));
}
process.exitCode = await main(process.argv.slice(2));

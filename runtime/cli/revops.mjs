#!/usr/bin/env node
// The `revops` executable: registers tsx so the TypeScript sources run directly, then hands over to the dispatcher.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./revops.ts');
process.exitCode = await main(process.argv.slice(2));

/**
 * The compiler's public face: `specs/**` (YAML) -> diagnostics, the manifest (the contract runtime and infra read)
 * and the Bedrock requests each agent implies. Runtime and infra import `manifest.ts` and the few shared modules
 * ARCHITECTURE.md lists; the CLI and tests use these functions.
 */
export { compileProject, type CompileOptions, type CompileResult } from './compile.ts';
export { isBuildStale, writeBuild } from './build.ts';
export type { BedrockAgentRequests } from './emit/bedrock.ts';
export type { Category } from './diagnostics/catalog.ts';
export type { Diagnostic, Location, RelatedLocation } from './diagnostics/diagnostic.ts';
export { hasErrors } from './diagnostics/diagnostic.ts';
export { positionAt, renderJson, renderLine, renderText, summary } from './diagnostics/render.ts';
export { catalog } from './diagnostics/catalog.ts';

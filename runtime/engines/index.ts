/**
 * The engines layer's public face: the engine interface and trace model, `createEngine`, and what every caller
 * builds from an engine's events (`collect` -> InvokeResult, `buildConversationRecord` -> ConversationRecord).
 */
export type { Engine, EngineName, InvokeRequest } from './engine.ts';
export type * from './trace.ts';
export { collect, countSqlQueries, summarise, type InvokeResult } from './collect.ts';
export {
  buildConversationRecord, type AgentInvocation, type ConversationInput, type ConversationRecord, type Handoff, type ToolExecution,
} from './conversation.ts';
export { createEngine, ENGINE_NAMES, isEngineName, type EngineDeps } from './createEngine.ts';

/**
 * The engines layer's public face: the engine interface and trace model, `createEngine`, and what every caller
 * builds from an engine's events (`collect` -> InvokeResult, `buildConversationRecord` -> ConversationRecord).
 */
export type { Engine, EngineDeps, EngineName, InvokeRequest } from './engine.ts';
export { ENGINE_NAMES, isEngineName } from '../../compiler/engines.ts';
export type * from './trace.ts';
export { collect, countSqlQueries, summarise, type InvokeResult } from './collect.ts';
export {
  buildConversationRecord, type AgentInvocation, type ConversationInput, type ConversationRecord, type Handoff, type ToolExecution,
} from './conversation.ts';
export { createEngine } from './createEngine.ts';

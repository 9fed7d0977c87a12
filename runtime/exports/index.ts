/** Conversation exports: the exporter, local and S3 sinks, grounding, redaction, and listing local exports. */
export { createExporter, type Exporter, type ConversationMetadata, type ExportResult } from './exporter.ts';
export { createLocalExportSink } from './localSink.ts';
export { createS3ExportSink } from './s3Sink.ts';
export { conversationFolder, type ExportSink } from './layout.ts';
export { measureGrounding, extractFigures, type Grounding } from './grounding.ts';
export { redact, redactText, REDACTED } from '../redact.ts';
export { listConversations, type ListedConversation } from './list.ts';

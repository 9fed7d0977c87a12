/**
 * The Bedrock Knowledge Bases operation the runtime sends (Retrieve, for `knowledge` tools), re-exported by name
 * for the reason runtime/aws/s3.ts gives.
 */
export { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';

/** Schema of `specs/agents/<name>.yaml` (see SPEC_FORMAT.md, "Agent"). */
import { DEFAULTS } from '../defaults.ts';
import { integer, name, SCHEMA_DRAFT, schemaId, strings, text } from './common.ts';
import type { FromSchema } from './from-schema.ts';

const step = {
  type: 'object',
  additionalProperties: false,
  required: ['tool'],
  properties: {
    tool: { ...name, description: "A tool from this agent's tools." },
    as: { ...name, description: "Name of this step's result in templates (default: the tool name)." },
    optional: { type: 'boolean', default: false, description: 'When true, a step with no rows does not stop the skill.' },
    with: {
      type: 'object',
      description: 'Parameter values: Liquid expressions over earlier steps, question and params.',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
  },
} as const;

const skill = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'steps', 'answer'],
  properties: {
    name,
    description: text(1, 200, 'What this skill answers.'),
    examples: { ...strings, description: 'Example questions this skill answers (offline skill selection).' },
    steps: { type: 'array', minItems: 1, items: step },
    answer: { type: 'string', minLength: 1, description: 'Liquid template of the answer.' },
  },
} as const;

const collaborator = {
  type: 'object',
  additionalProperties: false,
  required: ['agent', 'instruction'],
  properties: {
    agent: { ...name, description: 'A collaborator agent.' },
    instruction: text(1, 4000, 'When the supervisor should hand work to this agent (Bedrock: 1..4000 characters).'),
    relay_conversation_history: { type: 'boolean', default: DEFAULTS.relayConversationHistory },
  },
} as const;

export const agentSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('agent'),
  title: 'RevOps agent spec',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role', 'description', 'instruction'],
  properties: {
    name,
    role: { enum: ['supervisor', 'collaborator'] },
    description: text(1, 200, 'What the agent does (Bedrock: 1..200 characters).'),
    instruction: {
      type: 'string',
      minLength: 1,
      description: 'Own instruction; compiled with collaborators, routing examples and answer formats to 40..20000 characters.',
    },
    model: { type: 'string', minLength: 1, default: DEFAULTS.model },
    idle_session_ttl: { ...integer(60, 3600, 'Idle session TTL in seconds (Bedrock: 60..3600).'), default: DEFAULTS.idleSessionTtlSeconds },
    collaboration: { enum: ['SUPERVISOR', 'SUPERVISOR_ROUTER'], default: DEFAULTS.collaboration },
    collaborators: { type: 'array', items: collaborator },
    tools: { type: 'array', items: name, description: 'Tools this agent may call.' },
    knowledge_base: {
      type: 'object',
      additionalProperties: false,
      required: ['description'],
      properties: { description: text(1, 200, 'When the agent should use the knowledge base.') },
    },
    skills: { type: 'array', items: skill },
  },
} as const;

export type AgentSpec = FromSchema<typeof agentSchema>;
export type SkillSpec = FromSchema<typeof skill>;
export type StepSpec = FromSchema<typeof step>;

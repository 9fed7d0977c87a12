/**
 * The engines, one row each: the contract the runtime (which builds them, `runtime/engines/createEngine.ts`), the
 * CLI (which lists them in `--engine` usage text) and infra (which deploys the ones with a `deploy` row, shaped by
 * its facts) share. It sits beside `manifest.ts` because infra imports no runtime. Adding an engine starts here
 * (ARCHITECTURE.md, "Add an engine").
 */

export interface DeployFacts {
  /**
   * Where the agents run: `processor` (the processor function calls the models itself and runs the tools in
   * process) or `bedrock-agents` (the program creates Bedrock agents and aliases; the processor invokes the entry
   * agent's alias and the tools answer through the tool-executor function's action groups).
   */
  agentsRunIn: 'processor' | 'bedrock-agents';
  /** The engine keeps each conversation's turns in the session table (REVOPS_SESSION_TABLE); otherwise Bedrock does. */
  sessionTable: boolean;
}

export interface EngineFacts {
  /** How infra deploys the engine; absent for an engine that runs only locally. */
  deploy?: DeployFacts;
}

/** In the order usage text lists them. */
export const ENGINES = {
  offline: {},
  'bedrock-agents': { deploy: { agentsRunIn: 'bedrock-agents', sessionTable: false } },
  converse: { deploy: { agentsRunIn: 'processor', sessionTable: true } },
} as const satisfies Record<string, EngineFacts>;

export type EngineName = keyof typeof ENGINES;

/** The engines infra can deploy: those with a `deploy` row. */
export type DeployEngine = { [Name in EngineName]: (typeof ENGINES)[Name] extends { deploy: DeployFacts } ? Name : never }[EngineName];

export const ENGINE_NAMES = Object.keys(ENGINES) as readonly EngineName[];

export const DEPLOY_ENGINES = ENGINE_NAMES.filter((name): name is DeployEngine => 'deploy' in ENGINES[name]);

export const isEngineName = (name: string | undefined): name is EngineName => ENGINE_NAMES.includes(name as EngineName);

export const deployFacts = (engine: DeployEngine): DeployFacts => ENGINES[engine].deploy;

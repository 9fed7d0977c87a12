/**
 * Lambda entry for Bedrock action groups: the agent's function-details event -> the toolbox -> the documented
 * response (runtime/tools/actionGroupHandler.ts). Needs no queue, app or engine: only the manifest's tools.
 */
import { handleActionGroupEvent, type ActionGroupResponse } from '../tools/actionGroupHandler.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { loadLambdaProject } from './lambdaProject.ts';
import { once } from '../once.ts';

export function createToolExecutorHandler(load: () => Promise<Toolbox>) {
  return async function executeTool(event: unknown): Promise<ActionGroupResponse> {
    return handleActionGroupEvent(event, await load());
  };
}

const project = once(() => loadLambdaProject(process.env));
export const handler = createToolExecutorHandler(async () => (await project()).toolbox);

/**
 * Lambda entry for Bedrock action groups: the agent's function-details event -> the toolbox -> the documented
 * response (runtime/tools/actionGroupHandler.ts). Needs no queue, app or engine: only the manifest's tools.
 */
import { handleActionGroupEvent, type ActionGroupResponse } from '../tools/actionGroupHandler.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { loadLambdaProject } from './lambdaProject.ts';
import { once } from '../once.ts';
import type { RecordedActions } from '../tools/actionGroup/approvedCall.ts';
import { createS3PendingStore, lazyS3 } from './s3Stores.ts';

export function createToolExecutorHandler(load: () => Promise<Toolbox>, actions?: RecordedActions) {
  return async function executeTool(event: unknown): Promise<ActionGroupResponse> {
    return handleActionGroupEvent(event, await load(), actions ? { actions } : {});
  };
}

const project = once(() => loadLambdaProject(process.env));
const s3 = lazyS3();
// Write and notify functions answer with the result of the action the processor performed once approved.
const pending = once(async () => {
  const { env } = await project();
  const bucket = env.REVOPS_STATUS_BUCKET;
  return bucket ? createS3PendingStore(s3, bucket, env.REVOPS_STATUS_PREFIX ?? 'webhook-status') : undefined;
});
export const handler = createToolExecutorHandler(async () => (await project()).toolbox, async (id) => (await pending())?.get(id));

/**
 * The process `pulumi up` starts to check the AWS limits before it declares anything (infra/deployProgram.ts): it
 * plans the stack under mocks, as `revops plan` does, and prints the problems as JSON on stdout. Mocks cannot run
 * in the program's own process: Pulumi keeps its engine connection in module state that `setMocks` replaces.
 *
 *   stdin: {"options": PlanOptions, "paths": StackPaths}   stdout: {"problems": LimitProblem[]}
 */
import { text } from 'node:stream/consumers';
import { readManifest } from '../manifestSource.ts';
import type { StackPaths } from '../stack.ts';
import { type PlanOptions, planDeployment } from './planDeployment.ts';

export interface LimitsRequest {
  options: PlanOptions;
  paths: StackPaths;
}

const request = JSON.parse(await text(process.stdin)) as LimitsRequest;
const plan = await planDeployment(await readManifest(request.paths.manifestPath), request.options, request.paths);
process.stdout.write(JSON.stringify({ problems: plan.problems }));

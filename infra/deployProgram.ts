/**
 * What `pulumi up` runs (infra/index.ts): the checks `revops plan` runs, then the stack. Nothing is declared until
 * they pass: the model each agent calls against the stack's region (stackModels), and every AWS name and size limit
 * on what the program would register (plan/deployLimits.ts), found by planning the same manifest and configuration
 * under mocks in a child process (plan/limitsProcess.ts). A problem stops the program with a `RunError`, which
 * Pulumi prints as its message alone: a user's mistake gets the plan's diagnostics, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import type { Manifest } from '../compiler/manifest.ts';
import type { StackConfig } from './config.ts';
import { type LimitProblem, renderLimitProblems } from './plan/deployLimits.ts';
import type { LimitsRequest } from './plan/limitsProcess.ts';
import { createStack, stackModels, type StackOutputs, type StackPaths } from './stack.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIMITS_PROCESS = fileURLToPath(new URL('./plan/limitsProcess.ts', import.meta.url));
/** A plan takes seconds; past this the child is stuck, and the deploy stops rather than wait forever. */
const LIMITS_TIMEOUT_MS = 120_000;

/** infra's user mistakes carry their code as a message prefix (`RV_INFRA_CONFIG: …`), as the CLI reads them. */
const USER_MISTAKE = /^RV_[A-Z_]+: /;

/** Runs `step`; a failure the user can fix becomes a RunError, anything else (a bug) keeps its stack. */
export async function stopOnUserMistake<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw USER_MISTAKE.test(message) && !pulumi.RunError.isInstance(error) ? new pulumi.RunError(message) : error;
  }
}

/** The limit problems `revops plan` would report for this configuration, from a child process of its own. */
async function limitProblems(request: LimitsRequest): Promise<LimitProblem[]> {
  // The child plans under mocks; the engine's addresses and the stack's config stay with this process.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PULUMI_')));
  const child = spawn(process.execPath, ['--import', 'tsx', LIMITS_PROCESS], { cwd: ROOT, env, timeout: LIMITS_TIMEOUT_MS });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`the limits check (${LIMITS_PROCESS}) failed with exit code ${code}:\n${Buffer.concat(err).toString('utf8')}`);
  return (JSON.parse(Buffer.concat(out).toString('utf8')) as { problems: LimitProblem[] }).problems;
}

export interface DeployTarget {
  manifest: Manifest;
  config: StackConfig;
  paths: StackPaths;
  /** The Pulumi stack name, as `revops plan` would be given it. */
  stack: string;
}

/** Checks the deployment as `revops plan` does, and declares the stack only when nothing is over a limit. */
export async function deployProgram({ manifest, config, paths, stack }: DeployTarget): Promise<StackOutputs> {
  await stopOnUserMistake(() => stackModels(manifest, config));
  const problems = await limitProblems({
    options: { engine: config.engine, model: config.model, knowledgeBaseId: config.knowledgeBaseId, region: config.region, stack, namePrefix: config.namePrefix },
    paths,
  });
  if (problems.length) throw new pulumi.RunError(renderLimitProblems(problems));
  return createStack(manifest, config, paths);
}

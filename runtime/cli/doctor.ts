/**
 * `revops doctor [--json] [--outputs STACK_OUTPUTS.json] [--manifest FILE]`: the seed's troubleshooting section as
 * one command. With the configuration a deployment uses — the environment (a function's variables, exported), and
 * optionally the stack outputs (`pulumi stack output --json`: the bucket, queue URLs and agents) — it checks end to
 * end, in order: secrets resolvable, Slack token (`auth.test`) and signing secret, warehouse connect and `SELECT 1`,
 * the tables the SQL tools read, Bedrock model access (converse) or agents and aliases (bedrock-agents), SQS queues
 * and their dead-letter depth, the S3 bucket listable and readable, webhook receivers through the outbound guard.
 * Each failure prints its fix. Exit 0 only when every check passes; `--json` for machines.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Manifest } from '../../compiler/manifest.ts';
import { type CheckOutcome, renderOutcomes, runCheck } from '../doctor/doctorCheck.ts';
import { type DoctorContext, doctorChecks } from '../doctor/checks.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { loadManifest } from './loadProject.ts';

interface StackOutputs {
  exportBucket?: string;
  queueUrls?: Record<string, string>;
  agents?: Record<string, unknown>;
}

/** The stack outputs as the variables the runtime reads; what the environment sets already wins. */
export function environmentFromOutputs(outputs: StackOutputs, path: string): Record<string, string> {
  return {
    ...(outputs.exportBucket ? { REVOPS_EXPORT_BUCKET: outputs.exportBucket, REVOPS_STATUS_BUCKET: outputs.exportBucket } : {}),
    ...(outputs.queueUrls ? { REVOPS_QUEUE: 'sqs', ...outputs.queueUrls } : {}),
    ...(outputs.agents ? { REVOPS_STACK_OUTPUTS: path } : {}),
  };
}

export const command: Command = {
  summary: 'Check a deployment\'s configuration end to end (Slack, warehouse, Bedrock, SQS, S3, webhooks, secrets)',
  usage: 'revops doctor [--json] [--outputs STACK_OUTPUTS.json] [--manifest MANIFEST.json]',
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, outputs: { type: 'string' }, manifest: { type: 'string' } } }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let env: Record<string, string | undefined> = { ...io.env };
    if (values.outputs) {
      const path = resolve(io.cwd, values.outputs);
      const outputs = JSON.parse(await readFile(path, 'utf8')) as StackOutputs;
      env = { ...environmentFromOutputs(outputs, path), ...env };
    }
    const manifest = values.manifest
      ? JSON.parse(await readFile(resolve(io.cwd, values.manifest), 'utf8')) as Manifest
      : await loadManifest(io.cwd, { stderr: io.stderr, isTTY: io.isTTY });
    const ctx: DoctorContext = { manifest, env, cwd: io.cwd };
    const outcomes: CheckOutcome[] = [];
    for (const check of doctorChecks(ctx)) outcomes.push(await runCheck(check));
    const ok = outcomes.every((o) => o.ok);
    io.stdout(values.json ? JSON.stringify({ ok, checks: outcomes }, null, 2) : renderOutcomes(outcomes));
    return ok ? 0 : 1;
  },
};

/**
 * Runs the Pulumi program in-process under `pulumi.runtime.setMocks` — no AWS account, no Pulumi CLI — and records
 * every resource the program registers: type token, logical name, inputs, dependencies and parent. Dependencies
 * come from the registration request itself (explicit `dependsOn` plus inputs that read other resources' outputs),
 * which `MockResourceArgs` does not expose, so the mock monitor's `registerResource` is wrapped.
 * Safe to call repeatedly in one process: each run installs fresh mocks and disconnects when all RPCs are done.
 */
import * as pulumi from '@pulumi/pulumi';
import { type MockContext, mockOutputs } from './mockOutputs.ts';

export interface PlannedResource {
  /** Pulumi type token, e.g. `aws:bedrock/agentAgent:AgentAgent`. */
  type: string;
  /** Logical name. */
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** Logical names of the resources this one depends on, sorted. */
  dependsOn: string[];
  parent?: string;
  replacementTrigger?: unknown;
}

export interface PlanRun<T> {
  resources: PlannedResource[];
  outputs: T;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  hasReplacementTrigger?(): boolean;
  getReplacementTrigger?(): { toJavaScript(): unknown } | undefined;
}

/** `urn:pulumi:stack::project::parent$type::name` -> name. */
const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf('::') + 2);

export async function runUnderMocks<T>(program: () => T | Promise<T>, ctx: MockContext & { stack: string; config: Record<string, string> }):
  Promise<PlanRun<T>> {
  const registered = new Map<string, PlannedResource>();
  await pulumi.runtime.setMocks({
    newResource(args) {
      const state = { ...args.inputs, ...mockOutputs(args.type, args.name, args.inputs, ctx) };
      const entry = registered.get(`${args.type}::${args.name}`);
      if (entry) entry.inputs = args.inputs as Record<string, unknown>;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
        return { accountId: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:user/plan`, userId: 'PLAN', id: ctx.accountId };
      }
      if (args.token === 'aws:index/getRegion:getRegion') return { name: ctx.region, region: ctx.region, id: ctx.region };
      return {};
    },
  }, 'revops-agents', ctx.stack, false);
  pulumi.runtime.setAllConfig(ctx.config);

  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const trigger = req.hasReplacementTrigger?.() ? req.getReplacementTrigger?.()?.toJavaScript() : undefined;
    registered.set(`${req.getType()}::${req.getName()}`, {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      inputs: {},
      dependsOn: [...new Set(req.getDependenciesList().map(nameOfUrn))].sort(),
      ...(req.getParent() ? { parent: nameOfUrn(req.getParent()) } : {}),
      ...(trigger !== undefined ? { replacementTrigger: trigger } : {}),
    });
    return register(req, callback);
  };

  let outputs!: T;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      outputs = await program();
      return {};
    });
  } finally {
    await pulumi.runtime.disconnect();
  }
  const resources = [...registered.values()].filter((r) => r.type !== 'pulumi:pulumi:Stack');
  return { resources, outputs };
}

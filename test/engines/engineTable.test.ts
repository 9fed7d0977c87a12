/** The engine table (compiler/engines.ts) is what the runtime builds, the CLI offers and infra deploys. */
import { describe, expect, it } from 'vitest';
import { DEPLOY_ENGINES, ENGINE_NAMES, ENGINES, isEngineName } from '../../compiler/engines.ts';
import { command as ask } from '../../runtime/cli/ask.ts';
import { command as evalCommand } from '../../runtime/cli/eval.ts';
import { command as plan } from '../../infra/cli/plan.ts';
import { parseEngine } from '../../infra/config.ts';
import { loadEngine } from '../../runtime/engines/createEngine.ts';

describe('the engine table', () => {
  it('has a loader in the runtime for every engine it names', async () => {
    for (const name of ENGINE_NAMES) expect(typeof (await loadEngine(name))).toBe('function');
  });

  it('is what the CLI usage text offers', () => {
    const option = `[--engine ${ENGINE_NAMES.join('|')}]`;
    expect(ask.usage).toContain(option);
    expect(evalCommand.usage).toContain(option);
    expect(plan.usage).toContain(`[--engine ${DEPLOY_ENGINES.join('|')}]`);
  });

  it('deploys exactly the engines with a deploy row, and names them when refusing another', () => {
    expect(DEPLOY_ENGINES).toEqual(ENGINE_NAMES.filter((name) => 'deploy' in ENGINES[name]));
    for (const name of DEPLOY_ENGINES) expect(parseEngine(name)).toBe(name);
    for (const name of ENGINE_NAMES.filter((n) => !DEPLOY_ENGINES.includes(n as never))) {
      expect(() => parseEngine(name)).toThrow(`use one of ${DEPLOY_ENGINES.join(', ')}`);
    }
  });

  it('tells engine names from other words', () => {
    expect(ENGINE_NAMES.every(isEngineName)).toBe(true);
    expect(isEngineName('gpt')).toBe(false);
    expect(isEngineName(undefined)).toBe(false);
  });
});

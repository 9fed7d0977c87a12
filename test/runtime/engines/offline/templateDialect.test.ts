/**
 * The offline engine renders in the compiler's dialect (compiler/liquid.ts): an unknown filter or a tag that reads
 * another template is refused when the engine is built, with a coded error the CLI prints in one line, never a raw
 * failure when a question is answered.
 */
import { describe, expect, it } from 'vitest';
import { createOfflineEngine } from '../../../../runtime/engines/offline/index.ts';
import { userErrorMessage } from '../../../../runtime/cli/userError.ts';
import { agent, fakeToolbox, manifest, skill, tool } from './fixtures.ts';

function engineWith(answer: string) {
  const lookup = tool('deal_lookup');
  const deals = agent('deals', {
    tools: ['deal_lookup'],
    skills: [skill('status', { examples: ['status of the Acme deal'], steps: [{ tool: 'deal_lookup', with: {}, optional: false }], answer })],
  });
  const m = manifest({ deals: ['status of the Acme deal', 'what is the status of the deal', 'deal status'] }, [deals], [lookup]);
  return createOfflineEngine({ manifest: m, toolbox: fakeToolbox([lookup], () => ({ rows: [{ x: 1 }] })) });
}

describe('the template dialect at run time', () => {
  it.each([
    ['{{ deal_lookup.rows[0].x | mony }}', /undefined filter: mony/],
    ["{% include 'header' %}", /tag "include" not found/],
    ["{% render 'header' %}", /tag "render" not found/],
    ["{% layout 'page' %}", /tag "layout" not found/],
  ])('refuses %s when the engine is built, as a coded error without a stack', async (answer, problem) => {
    const failure = await engineWith(answer).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ code: 'template_invalid', message: expect.stringMatching(problem) });
    expect(userErrorMessage(failure)).toMatch(/^error template_invalid: agent deals skill status: template does not parse: .*run revops validate/);
  });
});

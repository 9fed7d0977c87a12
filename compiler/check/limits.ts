/**
 * Limits that only exist after compilation or across fields (the per-field ones live in the schemas): the
 * compiled instruction's 40..20000 characters (Bedrock counts what it receives, not what the analyst wrote), and
 * SQS visibility at least 6 x the processor timeout (AWS guidance for Lambda event sources; the seed broke it).
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.ts';
import { collaboratorGuidance, compileInstruction } from '../emit/instruction.ts';
import type { Project } from '../project.ts';
import type { CheckContext } from './context.ts';

export const INSTRUCTION_MIN = 40;
export const INSTRUCTION_MAX = 20_000;
export const VISIBILITY_FACTOR = 6;

function instructions(project: Project, context: CheckContext): Diagnostic[] {
  return project.agents.flatMap(({ value, at }) => {
    const compiled = compileInstruction(value, collaboratorGuidance(value, context.agents, context.examples));
    const length = compiled.text.length;
    if (length >= INSTRUCTION_MIN && length <= INSTRUCTION_MAX) return [];
    const args = [length, compiled.ownLength, compiled.collaboratorsLength, compiled.formatsLength];
    return [diagnostic(catalog.instructionLength, at(['instruction']), args)];
  });
}

function queues(project: Project): Diagnostic[] {
  return project.channels.flatMap(({ value, at }) => {
    const needed = VISIBILITY_FACTOR * value.processor.timeout_s;
    const visibility = value.queue.visibility_timeout_s;
    if (visibility >= needed) return [];
    return [diagnostic(catalog.visibilityTimeout, at(['queue', 'visibility_timeout_s']), [visibility, value.processor.timeout_s, needed])];
  });
}

export const checkLimits = (project: Project, context: CheckContext): Diagnostic[] => [
  ...instructions(project, context),
  ...queues(project),
];

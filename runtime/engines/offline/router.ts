/**
 * Supervisor routing: the collaborator whose routing examples and description are nearest the (masked) question.
 * Below `ROUTE_MIN_SCORE` nothing is close and the supervisor answers with what it can do instead of guessing.
 * `revops eval` builds the same router with one example left out to measure leave-one-out accuracy.
 */
import type { Manifest, ManifestAgent } from '../../../compiler/manifest.ts';
import { type LabelledTerms, NearestIndex, type Ranked } from './nearest.ts';

/** Cosine-based score under which no collaborator counts as close (tuned on the shipped routes; see eval). */
export const ROUTE_MIN_SCORE = 0.2;

export interface RouteDecision {
  /** Undefined when nothing is close enough. */
  target?: string;
  confidence: number;
  ranked: Ranked[];
}

export interface RoutingExample {
  agent: string;
  text: string;
}

export interface Router {
  route(terms: string[]): RouteDecision;
  /** Routing examples this router was built from, in spec order per collaborator. */
  readonly examples: readonly RoutingExample[];
}

export function collaboratorsOf(manifest: Manifest, supervisor: ManifestAgent): ManifestAgent[] {
  return supervisor.collaborators
    .map((c) => manifest.agents.find((a) => a.name === c.agent))
    .filter((a): a is ManifestAgent => a !== undefined);
}

export function routingExamples(manifest: Manifest, supervisor: string): RoutingExample[] {
  const routes = manifest.routes.find((r) => r.supervisor === supervisor)?.routes ?? {};
  return Object.entries(routes).flatMap(([agent, texts]) => texts.map((text) => ({ agent, text })));
}

export function createRouter(
  manifest: Manifest, supervisor: ManifestAgent, termsOf: (text: string) => string[], leaveOut?: RoutingExample,
): Router {
  const examples = routingExamples(manifest, supervisor.name).filter(
    (e) => !(leaveOut && e.agent === leaveOut.agent && e.text === leaveOut.text),
  );
  const docs: LabelledTerms[] = [
    ...examples.map((e) => ({ label: e.agent, terms: termsOf(e.text), kind: 'example' as const })),
    ...collaboratorsOf(manifest, supervisor).map((c) => ({ label: c.name, terms: termsOf(c.description), kind: 'description' as const })),
  ];
  const index = new NearestIndex(docs);
  return {
    examples,
    route(terms) {
      const ranked = index.rank(terms);
      const top = ranked[0];
      const confidence = Math.min(1, top?.score ?? 0);
      return { target: top && top.score >= ROUTE_MIN_SCORE ? top.label : undefined, confidence, ranked };
    },
  };
}

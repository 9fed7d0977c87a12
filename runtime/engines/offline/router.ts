/**
 * Supervisor routing: the collaborator whose routing examples and description are nearest the (masked) question.
 * Below `ROUTE_MIN_SCORE` nothing is close and the supervisor answers with what it can do instead of guessing.
 * `revops eval` builds the same router with one example left out to measure leave-one-out accuracy.
 */
import type { Manifest, ManifestAgent } from '../../../compiler/manifest.ts';
import { type LabelledTerms, NearestIndex, type Ranked } from './nearest.ts';

/** Score under which no collaborator counts as close (the shipped routes' lowest leave-one-out hit is ~0.13). */
export const ROUTE_MIN_SCORE = 0.1;
/**
 * Words that alone never make a collaborator close: question words and the placeholders for unknown names, dates
 * and numbers. "what is the weather in Paris?" shares only "what" and a name with "what is the status of the IXIS
 * deal". A known record's placeholder ("zzentcontacts") is evidence: "who is Maria Garcia?" is about a person we hold.
 */
export const WEAK = /^(what|who|which|where|when|why|how|zzname|zzdate|zznum)$/u;

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
      const close = top !== undefined && top.score >= ROUTE_MIN_SCORE && index.shared(terms, top.label).some((t) => !WEAK.test(t));
      return { target: close ? top.label : undefined, confidence, ranked };
    },
  };
}
